using System.Security.Cryptography;
using Atom.Salesforce.Client.Auth;

namespace Atom.Salesforce.Client.Postgres.Tests.Infrastructure;

/// <summary>Recognisable secrets, so that a test can prove none of them leaks into a table, a log or a message.</summary>
internal static class Secrets
{
    public const string DatabasePassword = "Pg-Password-That-Must-Not-Leak-9f31";
    public const string AccessToken = "00Dxx0000000001!AQ4AQ.AccessTokenThatMustNotLeak-7c2e";
    public const string RefreshToken = "5Aep861RefreshTokenThatMustNotLeak-41d8";
    public static readonly Uri Instance = new("https://acme.my.salesforce.com");

    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static SalesforceToken Token(string accessToken = AccessToken, string? refreshToken = RefreshToken) =>
        new(accessToken, Instance, new DateTimeOffset(2026, 11, 24, 9, 30, 15, 123, TimeSpan.Zero)) { RefreshToken = refreshToken };
}
