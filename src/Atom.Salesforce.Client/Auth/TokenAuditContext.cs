namespace Atom.Salesforce.Client.Auth;

/// <summary>
/// Who is behind the token operations of the current async flow: the caller's IP address and user agent, for token stores
/// that keep an audit trail. Set it around the code that stores, refreshes or removes a user's token (an endpoint usually
/// sets it once per request); it flows into every awaited call and is restored when the scope is disposed.
/// </summary>
/// <example>
/// <code>
/// using (TokenAuditContext.Begin(httpContext.Connection.RemoteIpAddress?.ToString(), request.Headers.UserAgent))
/// {
///     await tokenStore.SaveAsync(userId, token, cancellationToken);
/// }
/// </code>
/// </example>
public sealed class TokenAuditContext
{
    /// <summary>The longest IP address or user agent kept; longer values are cut.</summary>
    public const int MaxLength = 512;

    private static readonly AsyncLocal<TokenAuditContext?> CurrentContext = new();

    private TokenAuditContext(string? ipAddress, string? userAgent)
    {
        IpAddress = Trim(ipAddress);
        UserAgent = Trim(userAgent);
    }

    /// <summary>The caller's IP address, when supplied.</summary>
    public string? IpAddress { get; }

    /// <summary>The caller's user agent, when supplied.</summary>
    public string? UserAgent { get; }

    /// <summary>The context of the current async flow, or null when none was begun.</summary>
    public static TokenAuditContext? Current => CurrentContext.Value;

    /// <summary>
    /// Makes <paramref name="ipAddress"/> and <paramref name="userAgent"/> the audit context of the current async flow until the
    /// returned scope is disposed; the previous context is restored then. Scopes nest.
    /// </summary>
    /// <param name="ipAddress">The caller's IP address, or null when unknown.</param>
    /// <param name="userAgent">The caller's user agent, or null when unknown.</param>
    public static IDisposable Begin(string? ipAddress, string? userAgent)
    {
        var scope = new Scope(CurrentContext.Value);
        CurrentContext.Value = new TokenAuditContext(ipAddress, userAgent);
        return scope;
    }

    private static string? Trim(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        value = value.Trim();
        return value.Length <= MaxLength ? value : value[..MaxLength];
    }

    private sealed class Scope(TokenAuditContext? previous) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                CurrentContext.Value = previous;
            }
        }
    }
}
