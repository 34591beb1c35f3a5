using System.Collections.Concurrent;
using Atom.Salesforce.Client.Analytics.Scoring;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.AspNetCore.Routing;

/// <summary>
/// Lead conversion models trained on each user's org and kept for <see cref="SalesforceEndpointOptions.LeadModelLifetime"/>.
/// Per user, like the describes: two users may be in different orgs, and a model trained on one user's records is never
/// used for another. Concurrent first requests share one training run. An org with too few leads to train on (no
/// converted or no unconverted lead) gets no model, and the rule score alone; a failed training run is not kept. A run starts
/// only from the entry that won the dictionary (a lazy task), so two racing first requests never train twice.
/// </summary>
internal sealed class LeadModelCache(IOptions<SalesforceEndpointOptions> options, TimeProvider timeProvider)
{
    private const int MaxEntries = 1_000;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public async Task<LeadScoringModel?> GetAsync(SalesforceClient client, LeadScoring scoring, CancellationToken cancellationToken)
    {
        var lifetime = options.Value.LeadModelLifetime;
        if (lifetime <= TimeSpan.Zero)
        {
            return null;
        }

        var now = timeProvider.GetUtcNow();
        if (!_entries.TryGetValue(client.UserId, out var entry) || now - entry.TrainedAt >= lifetime)
        {
            if (_entries.Count >= MaxEntries)
            {
                _entries.Clear();
            }

            // Training is not tied to one request's cancellation: a second request may be waiting on the same run.
            var fresh = new Entry(new Lazy<Task<LeadScoringModel?>>(() => TrainAsync(client, scoring)), now);
            entry = _entries.AddOrUpdate(client.UserId, fresh, (_, old) => old == entry ? fresh : old);
        }

        try
        {
            return await entry.Model.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (entry.Model.Value.IsFaulted)
        {
            _entries.TryRemove(new KeyValuePair<string, Entry>(client.UserId, entry));
            throw;
        }
    }

    private static async Task<LeadScoringModel?> TrainAsync(SalesforceClient client, LeadScoring scoring)
    {
        try
        {
            return await scoring.TrainAsync(client, cancellationToken: CancellationToken.None).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private sealed record Entry(Lazy<Task<LeadScoringModel?>> Model, DateTimeOffset TrainedAt);
}
