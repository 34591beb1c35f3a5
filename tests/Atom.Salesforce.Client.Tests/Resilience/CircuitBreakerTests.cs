using Atom.Salesforce.Client.Resilience;
using Microsoft.Extensions.Time.Testing;

namespace Atom.Salesforce.Client.Tests.Resilience;

/// <summary>
/// The breaker of one org host as <see cref="SalesforceCircuitBreakerOptions"/> documents it (the semantics of Polly's
/// advanced circuit breaker, which the SDK used before it held its pipelines itself): failures counted over the sampling
/// duration, opened by the failure ratio once the minimum throughput is seen, one trial request after the break.
/// </summary>
public sealed class CircuitBreakerTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-06T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    private CircuitBreaker Breaker(double failureRatio = 0.5, int minimumThroughput = 4) => new("acme.my.salesforce.com", new SalesforceCircuitBreakerOptions
    {
        FailureRatio = failureRatio,
        MinimumThroughput = minimumThroughput,
        SamplingDuration = TimeSpan.FromSeconds(30),
        BreakDuration = TimeSpan.FromSeconds(15),
    }, _time);

    [Fact]
    public void It_opens_when_the_failure_ratio_is_reached_over_at_least_the_minimum_throughput()
    {
        var breaker = Breaker(failureRatio: 0.5, minimumThroughput: 4);

        Assert.Equal(CircuitBreaker.Transition.None, breaker.Record(failed: true));
        Assert.Equal(CircuitBreaker.Transition.None, breaker.Record(failed: true));
        Assert.Equal(CircuitBreaker.Transition.None, breaker.Record(failed: true));
        Assert.True(breaker.TryEnter());   // three attempts seen: below the minimum throughput, whatever the ratio
        Assert.Equal(CircuitBreaker.Transition.Opened, breaker.Record(failed: true));
        Assert.False(breaker.TryEnter());
    }

    [Fact]
    public void Successes_keep_the_ratio_below_the_threshold()
    {
        var breaker = Breaker(failureRatio: 0.5, minimumThroughput: 4);

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(CircuitBreaker.Transition.None, breaker.Record(failed: false));
            Assert.Equal(CircuitBreaker.Transition.None, breaker.Record(failed: false));
            Assert.Equal(CircuitBreaker.Transition.None, breaker.Record(failed: true));
        }

        Assert.True(breaker.TryEnter());
    }

    [Fact]
    public void Failures_older_than_the_sampling_duration_no_longer_count()
    {
        var breaker = Breaker(failureRatio: 0.5, minimumThroughput: 4);
        breaker.Record(failed: true);
        breaker.Record(failed: true);
        breaker.Record(failed: true);

        _time.Advance(TimeSpan.FromSeconds(31));

        // Had the three old failures counted, this fourth would open the breaker (4 of 4).
        Assert.Equal(CircuitBreaker.Transition.None, breaker.Record(failed: true));
        Assert.True(breaker.TryEnter());
    }

    [Fact]
    public void After_the_break_one_trial_goes_through_and_its_success_closes_the_breaker_with_the_counts_forgotten()
    {
        var breaker = OpenBreaker();

        _time.Advance(TimeSpan.FromSeconds(14));
        Assert.False(breaker.TryEnter());
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(breaker.TryEnter());    // the trial
        Assert.False(breaker.TryEnter());   // everything else waits for the trial's answer
        Assert.Equal(CircuitBreaker.Transition.Closed, breaker.Record(failed: false));
        Assert.True(breaker.TryEnter());

        // The failures before the break are forgotten: one more is below the minimum throughput of two (with them it would
        // be three failures of four attempts, and the breaker would open).
        Assert.Equal(CircuitBreaker.Transition.None, breaker.Record(failed: true));
        Assert.True(breaker.TryEnter());
    }

    [Fact]
    public void A_failed_trial_opens_the_breaker_again_for_a_whole_break()
    {
        var breaker = OpenBreaker();
        _time.Advance(TimeSpan.FromSeconds(15));
        Assert.True(breaker.TryEnter());

        Assert.Equal(CircuitBreaker.Transition.Opened, breaker.Record(failed: true));

        _time.Advance(TimeSpan.FromSeconds(14));
        Assert.False(breaker.TryEnter());
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(breaker.TryEnter());
    }

    [Fact]
    public void A_failure_of_an_attempt_sent_before_the_breaker_opened_neither_extends_the_break_nor_opens_it_twice()
    {
        var breaker = OpenBreaker();
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(CircuitBreaker.Transition.None, breaker.Record(failed: true));

        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.True(breaker.TryEnter());
    }

    private CircuitBreaker OpenBreaker()
    {
        var breaker = Breaker(failureRatio: 0.5, minimumThroughput: 2);
        breaker.Record(failed: true);
        Assert.Equal(CircuitBreaker.Transition.Opened, breaker.Record(failed: true));
        Assert.False(breaker.TryEnter());
        return breaker;
    }
}
