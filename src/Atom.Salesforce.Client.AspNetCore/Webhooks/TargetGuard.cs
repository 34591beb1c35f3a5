using System.Net;
using System.Net.Sockets;

namespace Atom.Salesforce.Client.AspNetCore.Webhooks;

/// <summary>
/// Keeps webhook deliveries away from internal services (SSRF). A target must be an absolute <c>https</c> URL (<c>http</c>
/// only with <see cref="WebhookOptions.AllowHttpTargets"/>) without user info, and every address its host resolves to must be
/// public: loopback needs <see cref="WebhookOptions.AllowLoopbackTargets"/>, private, shared, link-local and other
/// non-public ranges need <see cref="WebhookOptions.AllowPrivateTargets"/>; unspecified, multicast, broadcast and the cloud
/// metadata addresses are always refused. The check runs when an endpoint is created and again on every connection a
/// delivery opens (<see cref="CreateHandler"/>), against the addresses the connection really uses, so a name that resolves
/// to a public address at registration and to an internal one later (DNS rebinding) is still refused.
/// </summary>
internal sealed class TargetGuard(WebhookOptions options)
{
    /// <summary>Cloud metadata services: never a webhook target, whatever the options say.</summary>
    private static readonly IPAddress[] MetadataAddresses =
    [
        IPAddress.Parse("169.254.169.254"), // AWS, GCP, Azure, OpenStack, ...
        IPAddress.Parse("169.254.170.2"),   // AWS ECS task metadata
        IPAddress.Parse("100.100.100.200"), // Alibaba Cloud
        IPAddress.Parse("fd00:ec2::254"),   // AWS over IPv6
    ];

    /// <summary>Why <paramref name="text"/> is not an acceptable target URL (syntax and scheme only), or null; the URL when it is.</summary>
    public string? CheckUrl(string text, out Uri? target)
    {
        target = null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.IsFile || uri.IsUnc)
        {
            return "must be an absolute https URL.";
        }

        if (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && options.AllowHttpTargets))
        {
            return options.AllowHttpTargets ? "must be an http or https URL." : "must be an https URL.";
        }

        if (uri.UserInfo.Length > 0)
        {
            return "must not hold a user name or password.";
        }

        if (uri.Host.Length == 0)
        {
            return "must name a host.";
        }

        if (uri.Fragment.Length > 0)
        {
            return "must not hold a fragment (#...).";
        }

        target = uri;
        return null;
    }

    /// <summary>Why <paramref name="address"/> may not be connected to, or null when it may.</summary>
    public string? Refusal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (MetadataAddresses.Contains(address))
        {
            return $"{address} is a cloud metadata address";
        }

        if (IsUnusable(address))
        {
            return $"{address} is not a unicast address";
        }

        if (IPAddress.IsLoopback(address))
        {
            return options.AllowLoopbackTargets ? null : $"{address} is a loopback address";
        }

        return IsPrivate(address) && !options.AllowPrivateTargets ? $"{address} is a private or reserved address" : null;
    }

    /// <summary>
    /// Resolves the target's host and checks every address; null when all may be connected to, else why not. A host that
    /// does not resolve is refused too.
    /// </summary>
    public async Task<string?> CheckHostAsync(Uri target, CancellationToken cancellationToken)
    {
        IPAddress[] addresses;
        try
        {
            addresses = await ResolveAsync(target.IdnHost, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            return $"its host {target.IdnHost} does not resolve.";
        }

        foreach (var address in addresses)
        {
            if (Refusal(address) is { } why)
            {
                return $"its host {target.IdnHost} resolves to {why}, which webhooks may not reach.";
            }
        }

        return addresses.Length == 0 ? $"its host {target.IdnHost} does not resolve." : null;
    }

    /// <summary>
    /// The handler every delivery goes through: no proxy (a proxy would make the connection check meaningless), no redirects
    /// (a redirect to an internal address would bypass it), no cookies, and a connect step that resolves the host itself
    /// and refuses to connect when an address is not allowed.
    /// </summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        ConnectCallback = ConnectAsync,
    };

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = await ResolveAsync(host, cancellationToken).ConfigureAwait(false);
        foreach (var address in addresses)
        {
            if (Refusal(address) is { } why)
            {
                throw new TargetRefusedException($"The target host {host} resolves to {why}, which webhooks may not reach.");
            }
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        var literal = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        return IPAddress.TryParse(literal, out var address) ? [address] : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
    }

    private static bool IsUnusable(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] == 0 || b[0] >= 224; // 0.0.0.0/8 "this network", 224/4 multicast, 240/4 reserved and the broadcast address
        }

        return address.Equals(IPAddress.IPv6Any) || address.IsIPv6Multicast;
    }

    private static bool IsPrivate(IPAddress address)
    {
        var b = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return b[0] == 10                                   // 10/8
                || (b[0] == 100 && b[1] >= 64 && b[1] < 128)     // 100.64/10 shared (carrier-grade NAT)
                || (b[0] == 169 && b[1] == 254)                  // 169.254/16 link-local
                || (b[0] == 172 && b[1] >= 16 && b[1] < 32)      // 172.16/12
                || (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2)  // 192.0.0/24 protocol assignments, 192.0.2/24 documentation
                || (b[0] == 192 && b[1] == 168)                  // 192.168/16
                || (b[0] == 198 && b[1] is 18 or 19)             // 198.18/15 benchmarking
                || (b[0] == 198 && b[1] == 51 && b[2] == 100)    // 198.51.100/24 documentation
                || (b[0] == 203 && b[1] == 0 && b[2] == 113);    // 203.0.113/24 documentation
        }

        return (b[0] & 0xFE) == 0xFC                             // fc00::/7 unique local
            || address.IsIPv6LinkLocal                           // fe80::/10
            || address.IsIPv6SiteLocal                           // fec0::/10 (deprecated)
            || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8) // 2001:db8::/32 documentation
            || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0)       // 2001::/32 Teredo (tunnels to any IPv4)
            || (b[0] == 0x20 && b[1] == 0x02)                                 // 2002::/16 6to4 (tunnels to any IPv4)
            || (b[0] == 0 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B)    // 64:ff9b::/96 NAT64 (any IPv4, internal ones too)
            || b.Take(12).All(x => x == 0);                                   // ::/96, the deprecated IPv4-compatible ::a.b.c.d
    }
}

/// <summary>A delivery's connection refused by <see cref="TargetGuard"/>: the target resolves to an address webhooks may not reach.</summary>
internal sealed class TargetRefusedException(string message) : IOException(message);
