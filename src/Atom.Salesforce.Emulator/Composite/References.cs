using System.Text.Json;
using System.Text.RegularExpressions;

namespace Atom.Salesforce.Emulator.Composite;

/// <summary>
/// <c>@{referenceId.path}</c> references in composite subrequests: <c>@{NewAccount.id}</c>, <c>@{q.records[0].Id}</c>. The
/// path is case-sensitive, as Salesforce's is; a reference standing alone as a JSON string takes the value's JSON type.
/// </summary>
internal static partial class References
{
    /// <summary>Replaces the references in a URL; false with the problem when one cannot be resolved.</summary>
    public static bool TryResolve(string text, IReadOnlyDictionary<string, JsonElement> results, out string resolved, out string? problem)
    {
        string? failure = null;
        resolved = Pattern().Replace(text, match =>
        {
            if (failure is not null)
            {
                return match.Value;
            }

            if (!TryFind(match.Groups[1].Value, results, out var value, out failure))
            {
                return match.Value;
            }

            return value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
        });
        problem = failure;
        return failure is null;
    }

    /// <summary>Replaces the references in a JSON body, keeping a lone reference's JSON type.</summary>
    public static bool TryResolve(JsonElement body, IReadOnlyDictionary<string, JsonElement> results, out byte[] resolved, out string? problem)
    {
        using var buffer = new MemoryStream();
        string? failure = null;
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, body, results, ref failure);
        }

        resolved = buffer.ToArray();
        problem = failure;
        return failure is null;
    }

    /// <summary>The referenceIds a subrequest uses, to know which ones depend on a failed subrequest.</summary>
    public static IEnumerable<string> Used(string text) =>
        Pattern().Matches(text).Select(m => ReferenceId(m.Groups[1].Value));

    private static void Write(Utf8JsonWriter writer, JsonElement element, IReadOnlyDictionary<string, JsonElement> results, ref string? failure)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value, results, ref failure);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item, results, ref failure);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                var text = element.GetString()!;
                var whole = Pattern().Match(text);
                if (whole.Success && whole.Length == text.Length)
                {
                    if (TryFind(whole.Groups[1].Value, results, out var value, out var problem))
                    {
                        value.WriteTo(writer);
                    }
                    else
                    {
                        failure ??= problem;
                        writer.WriteStringValue(text);
                    }
                }
                else if (TryResolve(text, results, out var resolved, out var inner))
                {
                    writer.WriteStringValue(resolved);
                }
                else
                {
                    failure ??= inner;
                    writer.WriteStringValue(text);
                }

                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    private static bool TryFind(string expression, IReadOnlyDictionary<string, JsonElement> results, out JsonElement value, out string? problem)
    {
        var referenceId = ReferenceId(expression);
        value = default;
        problem = $"Invalid reference specified. No value for {expression} found in {referenceId}. Provided referenceId ({referenceId}) must start with a letter or a number, and it can contain only letters, numbers and underscores (_).";
        if (!results.TryGetValue(referenceId, out var current))
        {
            return false;
        }

        var path = expression[referenceId.Length..];
        var i = 0;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = i + 1;
                while (end < path.Length && path[end] is not ('.' or '['))
                {
                    end++;
                }

                if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(path[(i + 1)..end], out current))
                {
                    return false;
                }

                i = end;
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i);
                if (end < 0 || current.ValueKind != JsonValueKind.Array || !int.TryParse(path.AsSpan(i + 1, end - i - 1), out var index)
                    || index < 0 || index >= current.GetArrayLength())
                {
                    return false;
                }

                current = current[index];
                i = end + 1;
            }
            else
            {
                return false;
            }
        }

        value = current;
        problem = null;
        return true;
    }

    private static string ReferenceId(string expression)
    {
        var end = expression.IndexOfAny(['.', '[']);
        return end < 0 ? expression : expression[..end];
    }

    [GeneratedRegex(@"@\{([A-Za-z0-9][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+|\[\d+\])*)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
