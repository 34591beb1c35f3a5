namespace Atom.Salesforce.Client.Streaming.Tests.Consumer;

internal static class Wait
{
    /// <summary>Polls until <paramref name="condition"/> holds; fails after a generous minute (never a timing assertion).</summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Polls an asynchronous condition (a database query) until it holds; fails after a generous minute.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }
}
