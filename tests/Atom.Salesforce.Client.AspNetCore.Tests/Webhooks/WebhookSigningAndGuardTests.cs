using System.Net;
using Atom.Salesforce.Client.AspNetCore.Webhooks;

namespace Atom.Salesforce.Client.AspNetCore.Tests.Webhooks;

/// <summary>The pieces without a database: Standard Webhooks signatures, retry delays and the SSRF guard's address rules.</summary>
public sealed class WebhookSigningAndGuardTests
{
    [Fact]
    public void A_signature_matches_the_Standard_Webhooks_test_vector_and_an_independent_verifier()
    {
        // The specification's reference libraries' example: this secret, id, timestamp and body sign to this value.
        const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        const string Body = "{\"test\": 2432232314}";

        var signature = WebhookSignature.Sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, Body, [Secret]);

        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
        Assert.True(StandardWebhooksVerifier.Verify(Secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", signature, Body));
        Assert.False(StandardWebhooksVerifier.Verify(Secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265331", signature, Body));
        Assert.False(StandardWebhooksVerifier.Verify(Secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", signature, Body + " "));
    }

    [Fact]
    public void A_new_secret_is_whsec_and_32_random_bytes_and_two_secrets_sign_twice()
    {
        var first = WebhookSignature.NewSecret();
        var second = WebhookSignature.NewSecret();

        Assert.StartsWith("whsec_", first, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(first["whsec_".Length..]).Length);
        Assert.NotEqual(first, second);
        var both = WebhookSignature.Sign("msg_1", 1_700_000_000, "{}", [first, second]);
        Assert.Equal(2, both.Split(' ').Length);
        Assert.True(StandardWebhooksVerifier.Verify(first, "msg_1", "1700000000", both, "{}"));
        Assert.True(StandardWebhooksVerifier.Verify(second, "msg_1", "1700000000", both, "{}"));
        Assert.False(StandardWebhooksVerifier.Verify(WebhookSignature.NewSecret(), "msg_1", "1700000000", both, "{}"));
    }

    [Fact]
    public void Retry_delays_double_from_the_first_up_to_the_cap_and_jitter_only_shortens_them_by_up_to_a_fifth()
    {
        var options = new WebhookOptions { RetryDelay = TimeSpan.FromSeconds(10), MaxRetryDelay = TimeSpan.FromMinutes(1) };

        Assert.Equal(
            [10, 20, 40, 60, 60],
            Enumerable.Range(1, 5).Select(attempt => WebhookDeliveryService.RetryDelay(options, attempt, random: 0).TotalSeconds));
        Assert.Equal(8, WebhookDeliveryService.RetryDelay(options, 1, random: 0.999_999).TotalSeconds, precision: 3);
        Assert.All(Enumerable.Range(0, 100), _ =>
        {
            var delay = WebhookDeliveryService.RetryDelay(options, 3, Random.Shared.NextDouble());
            Assert.InRange(delay, TimeSpan.FromSeconds(32), TimeSpan.FromSeconds(40));
        });
    }

    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.10.0.1", "loopback")]
    [InlineData("::1", "loopback")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("10.1.2.3", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("100.64.0.1", "private")]
    [InlineData("169.254.10.10", "private")]
    [InlineData("169.254.169.254", "metadata")]
    [InlineData("100.100.100.200", "metadata")]
    [InlineData("fd00:ec2::254", "metadata")]
    [InlineData("fd12:3456::1", "private")]
    [InlineData("fe80::1", "private")]
    [InlineData("64:ff9b::a00:1", "private")]
    [InlineData("0.0.0.0", "unicast")]
    [InlineData("224.0.0.1", "unicast")]
    [InlineData("255.255.255.255", "unicast")]
    [InlineData("::", "unicast")]
    public void Non_public_addresses_are_refused_by_default(string address, string kind)
    {
        var why = new TargetGuard(new WebhookOptions()).Refusal(IPAddress.Parse(address));

        Assert.NotNull(why);
        Assert.Contains(kind, why, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("2606:4700:4700::1111")]
    public void Public_addresses_are_allowed(string address) =>
        Assert.Null(new TargetGuard(new WebhookOptions()).Refusal(IPAddress.Parse(address)));

    [Fact]
    public void The_options_open_loopback_and_private_ranges_separately_and_never_the_metadata_service()
    {
        var loopback = new TargetGuard(new WebhookOptions { AllowLoopbackTargets = true });
        var everything = new TargetGuard(new WebhookOptions { AllowLoopbackTargets = true, AllowPrivateTargets = true });

        Assert.Null(loopback.Refusal(IPAddress.Loopback));
        Assert.NotNull(loopback.Refusal(IPAddress.Parse("10.0.0.1")));
        Assert.Null(everything.Refusal(IPAddress.Parse("10.0.0.1")));
        Assert.NotNull(everything.Refusal(IPAddress.Parse("169.254.169.254")));
        Assert.NotNull(everything.Refusal(IPAddress.Parse("0.0.0.0")));
    }

    [Theory]
    [InlineData("http://hooks.example.com/in", "https")]
    [InlineData("ftp://hooks.example.com/in", "https")]
    [InlineData("https://user:password@hooks.example.com/in", "user name")]
    [InlineData("/relative", "absolute")]
    [InlineData("https://hooks.example.com/in#part", "fragment")]
    public void Target_urls_must_be_absolute_https_without_credentials(string url, string reason)
    {
        var why = new TargetGuard(new WebhookOptions()).CheckUrl(url, out var target);

        Assert.Null(target);
        Assert.Contains(reason, why, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delivery_connection_is_checked_against_the_address_it_really_uses()
    {
        // A name that resolved to a public address when the endpoint was made and resolves to an internal one now (DNS
        // rebinding) meets the same rule at connect time: here "localhost", refused by the default options.
        await using var receiver = await Receiver.StartAsync();
        var guard = new TargetGuard(new WebhookOptions { AllowHttpTargets = true });
        using var http = new HttpClient(guard.CreateHandler());

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() =>
            http.PostAsync($"http://localhost:{receiver.Address.Port}/hook", new StringContent("{}"), TestContext.Current.CancellationToken));

        Assert.IsType<TargetRefusedException>(failure.InnerException, exactMatch: false);
        Assert.Contains("loopback", failure.InnerException!.Message, StringComparison.Ordinal);
        Assert.Empty(receiver.Requests);
    }
}
