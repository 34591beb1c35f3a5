using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Atom.Salesforce.Client.Postgres.Tests.Infrastructure;

/// <summary>
/// The store's first ciphertext format, written here independently of the store: <c>1 | nonce (12) | tag (16) | ciphertext</c>,
/// AES-256-GCM with associated data <c>"atom.salesforce.token.v1" 0 field 0 len(userId) userId (len(username) username | -1)</c>
/// (big-endian int32 lengths) and no instance URL. Rows written by earlier versions look like this.
/// </summary>
internal static class LegacyFormat
{
    public static byte[] Encrypt(string base64Key, string plaintext, string field, string userId, string? username)
    {
        var context = Encoding.ASCII.GetBytes("atom.salesforce.token.v1");
        var user = Encoding.UTF8.GetBytes(userId);
        var name = username is null ? [] : Encoding.UTF8.GetBytes(username);
        using var aad = new MemoryStream();
        aad.Write(context);
        aad.WriteByte(0);
        aad.Write(Encoding.ASCII.GetBytes(field));
        aad.WriteByte(0);
        aad.Write(BigEndian(user.Length));
        aad.Write(user);
        aad.Write(BigEndian(username is null ? -1 : name.Length));
        aad.Write(name);

        var plain = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[1 + 12 + 16 + plain.Length];
        output[0] = 1;
        RandomNumberGenerator.Fill(output.AsSpan(1, 12));
        using var aes = new AesGcm(Convert.FromBase64String(base64Key), 16);
        aes.Encrypt(output.AsSpan(1, 12), plain, output.AsSpan(29), output.AsSpan(13, 16), aad.ToArray());
        return output;
    }

    private static byte[] BigEndian(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        return bytes;
    }
}
