namespace Atom.Salesforce.Docs.Tests.Snippets;

/// <summary>
/// What the harness adds to every snippet, as a reader's project would have it: the implicit usings of a
/// <c>dotnet new web</c> project (Microsoft.NET.Sdk.Web), and the ambient names a snippet may use without declaring them
/// (README's examples section lists them). Everything else a snippet needs, it shows.
/// </summary>
public static class Ambient
{
    /// <summary>The class name the snippets' <c>global using static</c> imports.</summary>
    public const string ClassName = "ReadmeAmbient";

    /// <summary>The ambient names and what each stands for, as README's examples section prints them.</summary>
    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        ["builder"] = "WebApplicationBuilder, from WebApplication.CreateBuilder(args); nothing of ours registered yet",
        ["services"] = "IServiceCollection, builder.Services",
        ["configuration"] = "IConfiguration, builder.Configuration",
        ["app"] = "WebApplication, builder.Build() on first use",
        ["provider"] = "IServiceProvider with AddAtomSalesforce(...).AddAnalytics() registered",
        ["sf"] = "SalesforceClient, a connected user's client from provider",
        ["ct"] = "CancellationToken",
    };

    /// <summary>The implicit usings of a Microsoft.NET.Sdk.Web project with ImplicitUsings enabled.</summary>
    public static readonly IReadOnlyList<string> ImplicitUsings =
    [
        "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Net.Http.Json",
        "System.Threading", "System.Threading.Tasks", "Microsoft.AspNetCore.Builder", "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Http", "Microsoft.AspNetCore.Routing", "Microsoft.Extensions.Configuration",
        "Microsoft.Extensions.DependencyInjection", "Microsoft.Extensions.Hosting", "Microsoft.Extensions.Logging",
    ];

    /// <summary>The implicit usings, as the SDK generates them.</summary>
    public static string ImplicitUsingsSource =>
        string.Concat(ImplicitUsings.Select(u => $"global using global::{u};\n"));

    /// <summary>
    /// The ambient class. The harness sets <c>Resolve</c> when it runs a snippet; a compile-only snippet never reads it.
    /// </summary>
    public const string Source = """
        global using static ReadmeAmbient;

        /// <summary>The names README snippets use without declaring them.</summary>
        public static class ReadmeAmbient
        {
            public static global::System.Func<string, object>? Resolve;

            private static T Get<T>(string name) => Resolve is { } resolve
                ? (T)resolve(name)
                : throw new global::System.InvalidOperationException($"The snippet used '{name}', which the harness has not set.");

            public static global::Microsoft.AspNetCore.Builder.WebApplicationBuilder builder => Get<global::Microsoft.AspNetCore.Builder.WebApplicationBuilder>(nameof(builder));
            public static global::Microsoft.Extensions.DependencyInjection.IServiceCollection services => builder.Services;
            public static global::Microsoft.Extensions.Configuration.IConfiguration configuration => builder.Configuration;
            public static global::Microsoft.AspNetCore.Builder.WebApplication app => Get<global::Microsoft.AspNetCore.Builder.WebApplication>(nameof(app));
            public static global::System.IServiceProvider provider => Get<global::System.IServiceProvider>(nameof(provider));
            public static global::Atom.Salesforce.Client.SalesforceClient sf => Get<global::Atom.Salesforce.Client.SalesforceClient>(nameof(sf));
            public static global::System.Threading.CancellationToken ct => Get<global::System.Threading.CancellationToken>(nameof(ct));
        }
        """;
}
