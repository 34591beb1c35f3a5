using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Atom.Salesforce.Client.Analytics.Pipeline;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Governance;
using Atom.Salesforce.Client.Models;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.IntegrationTests.Governance;

/// <summary>
/// One instance of an application, as its own OS process (the test assembly started again with <see cref="Argument"/>): the
/// endpoint pack on a Kestrel loopback port, tokens in PostgreSQL (encrypted), the API budget in Redis (blocks, the default),
/// governance with its default thresholds, and a background analytics job (<see cref="PipelineAnalytics"/> in a
/// <see cref="RequestPriority.Background"/> scope, over and over). It says <c>ready &lt;url&gt;</c>, starts the job on
/// <c>go</c>, stops it on <c>stop</c> and prints how the job's runs ended: <c>bg-ok:N</c>, <c>bg-stopped:N</c> (refused by the
/// governance with API_BUDGET_EXHAUSTED, nothing sent) and <c>bg-other:N codes</c>.
/// </summary>
internal static class AppInstanceWorker
{
    public const string Argument = "--atom-app-instance";
    public const string User = "alice";
    public const string UserHeader = "X-Test-User";

    /// <summary>Starts an instance: Redis host:port, its key prefix, the PostgreSQL connection, the token key, the emulator.</summary>
    public static Process Start(string redis, string prefix, string postgres, string tokenKey, Uri loginUrl, Uri instanceUrl, string accessToken)
    {
        var assembly = typeof(AppInstanceWorker).Assembly.Location;
        var appHost = Path.ChangeExtension(assembly, OperatingSystem.IsWindows() ? ".exe" : null);
        var start = File.Exists(appHost) ? new ProcessStartInfo(appHost) : new ProcessStartInfo("dotnet") { ArgumentList = { assembly } };
        foreach (var argument in new[] { Argument, redis, prefix, postgres, tokenKey, loginUrl.ToString(), instanceUrl.ToString(), accessToken })
        {
            start.ArgumentList.Add(argument);
        }

        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        return Process.Start(start) ?? throw new InvalidOperationException("The app instance did not start.");
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var (redis, prefix, postgres, tokenKey) = (args[1], args[2], args[3], args[4]);
        var (loginUrl, instanceUrl, accessToken) = (new Uri(args[5]), new Uri(args[6]), args[7]);
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        builder.Services.AddAuthentication(HeaderSignIn.SchemeName).AddScheme<AuthenticationSchemeOptions, HeaderSignIn>(HeaderSignIn.SchemeName, null);
        builder.Services.AddAuthorization();
        builder.Services.AddAtomSalesforce(o =>
            {
                o.ClientId = "emulator-client";
                o.ClientSecret = "emulator-secret";
                o.LoginUrl = loginUrl;
                o.Resilience.MaxRetryAttempts = 0;
            })
            .AddPostgresTokenStore(o =>
            {
                o.ConnectionString = postgres;
                o.MigrateOnStart = true;
                o.CacheDuration = TimeSpan.Zero;
                o.Encryption.CurrentKeyId = "k1";
                o.Encryption.Keys["k1"] = tokenKey;
            })
            .AddAnalytics()
            .AddEndpoints(o => o.RateLimitPermits = 1_000_000)
            .AddApiGovernance(o => o.BackgroundMaxDelay = TimeSpan.FromMilliseconds(50))
            .AddRedisApiBudget(redis, prefix);
        await using var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapAtomSalesforce();
        await app.StartAsync();
        await app.Services.GetRequiredService<ITokenStore>().SaveAsync(User, new SalesforceToken(accessToken, instanceUrl, DateTimeOffset.UtcNow));

        Console.Out.WriteLine("ready " + app.Urls.First());
        Console.Out.Flush();
        if (await Console.In.ReadLineAsync() != "go")
        {
            return 2;
        }

        using var stop = new CancellationTokenSource();
        var job = Task.Run(() => BackgroundJobAsync(app.Services, stop.Token));
        if (await Console.In.ReadLineAsync() != "stop")
        {
            return 3;
        }

        await stop.CancelAsync();
        var (ok, stopped, others) = await job;
        Console.Out.WriteLine("bg-ok:" + ok.ToString(CultureInfo.InvariantCulture));
        Console.Out.WriteLine("bg-stopped:" + stopped.ToString(CultureInfo.InvariantCulture));
        Console.Out.WriteLine("bg-other:" + others.Count.ToString(CultureInfo.InvariantCulture) + " " + string.Join(",", others.Distinct()));
        Console.Out.Flush();
        await app.StopAsync();
        return 0;
    }

    /// <summary>The analytics job nobody waits on: the pipeline report again and again, until stopped.</summary>
    private static async Task<(int Ok, int Stopped, List<string> Others)> BackgroundJobAsync(IServiceProvider services, CancellationToken stop)
    {
        var analytics = services.GetRequiredService<PipelineAnalytics>();
        var sf = services.GetRequiredService<ISalesforceClientFactory>().ForUser(User);
        var (ok, stopped, others) = (0, 0, new List<string>());
        using var background = RequestPriorityScope.Begin(RequestPriority.Background);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await analytics.AnalyzeAsync(sf, cancellationToken: stop);
                ok++;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (CodeOf(e) == SalesforceError.Codes.ApiBudgetExhausted)
            {
                // The governance stopped the job before the org's limit; it tries again later, as a scheduled job would.
                stopped++;
                await Task.Delay(20, CancellationToken.None);
            }
            catch (Exception e)
            {
                others.Add(CodeOf(e) ?? e.GetType().Name);
            }
        }

        return (ok, stopped, others);
    }

    private static string? CodeOf(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is SalesforceException { ErrorCode: { Length: > 0 } code })
            {
                return code;
            }
        }

        return null;
    }

    /// <summary>The test's sign-in: the <see cref="UserHeader"/> header names the signed-in user.</summary>
    private sealed class HeaderSignIn(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string SchemeName = "TestHeader";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var user = Request.Headers[UserHeader].ToString();
            if (user.Length == 0)
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user)], SchemeName);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
        }
    }
}
