using System.Net;
using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.Analytics.Scoring;
using Atom.Salesforce.Client.AspNetCore.Routing;
using Atom.Salesforce.Client.AspNetCore.Tests.Infrastructure;
using Atom.Salesforce.Client.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.Client.AspNetCore.Tests.Leads;

/// <summary>
/// Issue 20: the trained lead models live in the SDK's cache (HybridCache, in memory only: a model is not written out), not a
/// private dictionary. Racing first requests train once; a model kept in memory only is answered, never a 500 (HybridCache
/// serializes even memory-only values to size them, and a serializer that threw failed every call).
/// </summary>
public sealed class LeadModelCacheTests(PackFixture fixture) : IClassFixture<PackFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_racing_first_requests_train_one_model_and_share_it()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var scoring = new CountingLeadScoring(gate.Task);
        var cache = fixture.Host.Services.GetRequiredService<LeadModelCache>();
        // A user of its own, so no other test's model is in the cache; the same org and token as Alice.
        await fixture.Host.ConnectAsync("lead-model-race");
        var factory = fixture.Host.Services.GetRequiredService<ISalesforceClientFactory>();

        // Both requests are waiting before the one training run may finish.
        var first = cache.GetAsync(factory.ForUser("lead-model-race"), scoring, Ct);
        var second = cache.GetAsync(factory.ForUser("lead-model-race"), scoring, Ct);
        gate.SetResult();
        var models = await Task.WhenAll(first, second);

        Assert.Equal(1, scoring.Trainings);
        Assert.NotNull(models[0]);
        Assert.Same(models[0], models[1]);

        // Kept: a later request trains nothing.
        Assert.Same(models[0], await cache.GetAsync(factory.ForUser("lead-model-race"), scoring, Ct));
        Assert.Equal(1, scoring.Trainings);
    }

    [Fact]
    public async Task Concurrent_score_requests_of_a_new_user_all_answer_with_the_model()
    {
        await fixture.Host.ConnectAsync("lead-model-http");
        var leadId = await fixture.Sdk.Query.QueryAsync<LeadRecord>("SELECT Id FROM Lead WHERE IsConverted = false LIMIT 1", cancellationToken: Ct)
            .Select(l => l.Id).FirstAsync(Ct);

        var replies = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => fixture.Host.PostAsync("leads/score", "lead-model-http", new { lead_id = leadId })));

        Assert.All(replies, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        var probabilities = replies.Select(r => r.Data.GetProperty("model").GetProperty("probability").GetDouble()).Distinct().ToList();
        Assert.Single(probabilities);
    }

    /// <summary>Counts training runs; each waits for <paramref name="gate"/> first.</summary>
    private sealed class CountingLeadScoring(Task gate) : LeadScoring
    {
        private int _trainings;

        public int Trainings => Volatile.Read(ref _trainings);

        public override async Task<LeadScoringModel> TrainAsync(SalesforceClient client, LeadTrainingOptions? options = null, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _trainings);
            await gate.WaitAsync(cancellationToken);
            return await base.TrainAsync(client, options, cancellationToken);
        }
    }
}
