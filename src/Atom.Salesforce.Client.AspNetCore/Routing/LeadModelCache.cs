using System.Security.Cryptography;
using System.Text;
using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.Analytics.Scoring;
using Atom.Salesforce.Client.Caching;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.AspNetCore.Routing;

/// <summary>
/// Lead conversion models trained on each user's org and kept for <see cref="SalesforceEndpointOptions.LeadModelLifetime"/>,
/// in the SDK's cache (<see cref="SalesforceCache"/>, HybridCache once <c>AddCaching()</c> is registered, which
/// <c>AddEndpoints</c> does): in this process's memory only, since a model is not written out
/// (<see cref="SalesforceCacheEntryOptions.LocalOnly"/>), so each instance trains its own. Per user, like the describes: two
/// users may be in different orgs, and a model trained on one user's records is never used for another; the key holds a hash
/// of the user, never the user id. Concurrent first requests share one training run (the cache's single flight), which no one
/// request's cancellation stops while another waits on it. An org with too few leads to train on (no converted or no
/// unconverted lead) gets no model, and the rule score alone; a failed training run is not kept.
/// </summary>
internal sealed class LeadModelCache(SalesforceCache cache, IOptions<SalesforceEndpointOptions> options, IOptionsMonitor<SalesforceCacheOptions> cacheOptions)
{
    public Task<LeadScoringModel?> GetAsync(SalesforceClient client, LeadScoring scoring, CancellationToken cancellationToken) =>
        GetAsync(client.UserId, null, ct => scoring.TrainAsync(client, cancellationToken: ct), cancellationToken);

    /// <summary>
    /// The model trained on <paramref name="source"/> (the mirror, restricted to what the user sees: no Salesforce API call),
    /// kept per user apart from the model trained on the user's org.
    /// </summary>
    public Task<LeadScoringModel?> GetAsync(string userId, ISalesDataSource source, LeadScoring scoring, CancellationToken cancellationToken) =>
        GetAsync(userId, "mirror", ct => scoring.TrainAsync(source, cancellationToken: ct), cancellationToken);

    private async Task<LeadScoringModel?> GetAsync(string userId, string? kind, Func<CancellationToken, Task<LeadScoringModel>> train, CancellationToken cancellationToken)
    {
        var lifetime = options.Value.LeadModelLifetime;
        if (lifetime <= TimeSpan.Zero)
        {
            return null;
        }

        var prefix = cacheOptions.CurrentValue.KeyPrefix;
        var entry = new SalesforceCacheEntryOptions
        {
            Expiration = lifetime,
            LocalOnly = true,
            Kind = SalesforceCacheKinds.Other,
            Tags = [ModelsTag(prefix)],
        };
        return await cache.GetOrCreateAsync(
            $"{prefix}:pack:lead-model:{(kind is null ? string.Empty : kind + ":")}{UserHash(userId)}", train,
            static (train, ct) => TrainAsync(train, ct), entry, typeInfo: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The tag of every trained model of the application (<c>SalesforceCache.InvalidateAsync</c> of it retrains them all).</summary>
    public static string ModelsTag(string prefix) => $"{prefix}:pack:lead-models";

    private static async ValueTask<LeadScoringModel?> TrainAsync(Func<CancellationToken, Task<LeadScoringModel>> train, CancellationToken cancellationToken)
    {
        try
        {
            // The cache's token: cancelled only when every caller waiting on this run has given up.
            return await train(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The key holds a hash of the user, never the user id itself.</summary>
    private static string UserHash(string userId) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(userId)).AsSpan(0, 16)).ToLowerInvariant();
}
