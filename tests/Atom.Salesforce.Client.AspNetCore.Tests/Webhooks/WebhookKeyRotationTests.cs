using System.Security.Cryptography;
using Atom.Salesforce.Client.AspNetCore.Tests.Infrastructure;
using Atom.Salesforce.Client.Postgres;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.Client.AspNetCore.Tests.Webhooks;

/// <summary>
/// Rotating the token store's encryption key, as its README says (add the new key everywhere and make it current, run
/// <see cref="PostgresTokenStore.ReEncryptAsync"/>, remove the old key), keeps every webhook working: the endpoints' signing
/// secrets, encrypted with the old key, are moved to the new one, and an app that no longer has the old key signs its
/// deliveries with the same secrets the owners were given (the receiver's verification, written from the Standard Webhooks
/// specification, accepts them), a rotated-out secret still beside the new one until its lifetime ends.
/// </summary>
public sealed class WebhookKeyRotationTests : IAsyncLifetime
{
    private WebhookRig _rig = null!;

    public async ValueTask InitializeAsync() => _rig = await WebhookRig.StartAsync();

    public async ValueTask DisposeAsync() => await _rig.DisposeAsync();

    [Fact]
    public async Task After_re_encryption_with_a_new_key_an_app_without_the_old_key_signs_with_the_secrets_the_owners_were_given()
    {
        var newKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        string plain, plainSecret, rotating, oldSecret, newSecret;
        await using (var before = await _rig.StartAppAsync(o => o.DeliveryEnabled = false))
        {
            (plain, plainSecret) = await before.CreateAsync(_rig.Receiver, "plain", PackHost.Alice, "Account");
            (rotating, oldSecret) = await before.CreateAsync(_rig.Receiver, "rotating", PackHost.Alice, "Account");
            newSecret = (await before.PostAsync("webhooks/rotate-secret", PackHost.Alice, new { webhook_id = rotating })).Data.GetProperty("secret").GetString()!;
        }

        Assert.Equal(2L, (await _rig.ColumnAsync("SELECT count(*) FROM salesforce_webhook_endpoints WHERE secret LIKE 'atomsf:2:k1:%'")).Single());

        // The new key is added and made current; the old one is still there to read what was written with it.
        TokenReEncryptionResult result;
        await using (var during = await _rig.StartAppAsync(o => o.DeliveryEnabled = false, tokenStore: o =>
        {
            o.Encryption.Keys["k2"] = newKey;
            o.Encryption.CurrentKeyId = "k2";
        }))
        {
            result = await during.Services.GetRequiredService<PostgresTokenStore>().ReEncryptAsync(cancellationToken: TestContext.Current.CancellationToken);
        }

        Assert.Equal("k2", result.KeyId);
        Assert.Equal(2, result.WebhookSecretsReEncrypted);
        Assert.Empty(result.FailedWebhookEndpointIds);
        Assert.Equal(0L, (await _rig.ColumnAsync(
            "SELECT count(*) FROM salesforce_webhook_endpoints WHERE secret NOT LIKE 'atomsf:2:k2:%' OR previous_secret NOT LIKE 'atomsf:2:k2:%'")).Single());

        // The old key is removed: the secrets still sign, old and new side by side for the rotated endpoint.
        await using var after = await _rig.StartAppAsync(tokenStore: o =>
        {
            o.Encryption.Keys.Clear();
            o.Encryption.Keys["k2"] = newKey;
            o.Encryption.CurrentKeyId = "k2";
        });
        var id = (await after.PostAsync("accounts/create", PackHost.Alice, new { account_data = new { Name = "Rotated Key Co" } })).Data.GetProperty("id").GetString()!;

        var toPlain = await Eventually.GetAsync(() => Task.FromResult(_rig.Receiver.To("plain").FirstOrDefault(r => r.Body.Contains(id, StringComparison.Ordinal))), "a webhook at /plain");
        var toRotating = await Eventually.GetAsync(() => Task.FromResult(_rig.Receiver.To("rotating").FirstOrDefault(r => r.Body.Contains(id, StringComparison.Ordinal))), "a webhook at /rotating");
        Assert.True(StandardWebhooksVerifier.Verify(plainSecret, toPlain));
        Assert.True(StandardWebhooksVerifier.Verify(newSecret, toRotating));
        Assert.True(StandardWebhooksVerifier.Verify(oldSecret, toRotating));
        Assert.False(StandardWebhooksVerifier.Verify(plainSecret, toRotating));
        Assert.Equal("active", (await after.EntryAsync(plain)).GetProperty("status").GetString());
    }
}
