using Atom.Salesforce.Client.Auth;

namespace Atom.Salesforce.Client.Tests.Auth;

public sealed class TokenAuditContextTests
{
    [Fact]
    public async Task A_scope_flows_into_awaited_calls_and_is_restored_when_disposed()
    {
        Assert.Null(TokenAuditContext.Current);

        using (TokenAuditContext.Begin("203.0.113.7", "Mozilla/5.0"))
        {
            await Task.Yield();
            var seen = await Task.Run(() => TokenAuditContext.Current, TestContext.Current.CancellationToken);
            Assert.Equal("203.0.113.7", seen?.IpAddress);
            Assert.Equal("Mozilla/5.0", seen?.UserAgent);

            using (TokenAuditContext.Begin("198.51.100.1", null))
            {
                Assert.Equal("198.51.100.1", TokenAuditContext.Current?.IpAddress);
                Assert.Null(TokenAuditContext.Current?.UserAgent);
            }

            Assert.Equal("203.0.113.7", TokenAuditContext.Current?.IpAddress);
        }

        Assert.Null(TokenAuditContext.Current);
    }

    [Fact]
    public void Blank_values_are_null_and_long_values_are_cut()
    {
        using var scope = TokenAuditContext.Begin("  ", new string('x', TokenAuditContext.MaxLength + 100));

        Assert.Null(TokenAuditContext.Current?.IpAddress);
        Assert.Equal(TokenAuditContext.MaxLength, TokenAuditContext.Current?.UserAgent?.Length);
    }

    [Fact]
    public void Disposing_a_scope_twice_does_not_undo_an_outer_scope()
    {
        using var outer = TokenAuditContext.Begin("10.0.0.1", "outer");
        var inner = TokenAuditContext.Begin("10.0.0.2", "inner");
        inner.Dispose();
        using var other = TokenAuditContext.Begin("10.0.0.3", "other");
        inner.Dispose();

        Assert.Equal("10.0.0.3", TokenAuditContext.Current?.IpAddress);
    }
}
