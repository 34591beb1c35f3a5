using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Streaming;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Salesforce's Pub/Sub API client to <c>AddAtomSalesforce(...)</c>.</summary>
public static class PubSubSalesforceBuilderExtensions
{
    /// <summary>
    /// Registers <see cref="IPubSubClientFactory"/> for this connected app (keyed by its name for a named app): Pub/Sub API
    /// clients that use the app's token store and refresh path. Options are validated when the host starts.
    /// </summary>
    /// <param name="builder">The builder <c>AddAtomSalesforce</c> returned.</param>
    /// <param name="configure">Sets the endpoint, batch size and reconnection; Salesforce's defaults when null.</param>
    /// <returns>The builder, to chain on.</returns>
    public static ISalesforceBuilder AddPubSub(this ISalesforceBuilder builder, Action<PubSubOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var name = builder.Name;
        var options = builder.Services.AddOptions<PubSubOptions>(name);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PubSubOptions>, PubSubOptionsValidation>());
        if (name.Length == 0)
        {
            builder.Services.TryAddSingleton<IPubSubClientFactory>(static sp => new DefaultPubSubClientFactory(sp, Options.Options.DefaultName, sp.GetRequiredService<IOptionsMonitor<PubSubOptions>>().Get(Options.Options.DefaultName)));
        }
        else
        {
            builder.Services.TryAddKeyedSingleton<IPubSubClientFactory>(name, static (sp, key) => new DefaultPubSubClientFactory(sp, (string)key!, sp.GetRequiredService<IOptionsMonitor<PubSubOptions>>().Get((string)key!)));
        }

        return builder;
    }

    private sealed class PubSubOptionsValidation : IValidateOptions<PubSubOptions>
    {
        public ValidateOptionsResult Validate(string? name, PubSubOptions options)
        {
            try
            {
                options.Validate();
                return ValidateOptionsResult.Success;
            }
            catch (ArgumentException e)
            {
                return ValidateOptionsResult.Fail(e.Message);
            }
        }
    }
}
