using System.Text;
using System.Text.Json;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Models;

namespace Atom.Salesforce.Client.Http;

/// <summary>
/// Salesforce's save result, read by hand from a body held in memory: <c>{"id":..,"success":..,"errors":[..]}</c> (a create,
/// an upsert, with <c>"created"</c>), or an array of them (sObject Collections). Issue 22: System.Text.Json's general
/// deserializer costs a read stack with a frame per nesting level (the <c>errors</c> array and its objects) and a list per
/// <c>errors</c> even when it is empty; this reader costs the id string and the result. It reads what the generated
/// metadata read: property names case-insensitively, unknown properties (<c>warnings</c>, <c>infos</c>) skipped, and a null
/// where an error list or a message is expected read as empty.
/// </summary>
internal static class SaveResponseReader
{
    /// <summary>One save result, or null for a JSON <c>null</c> body. Throws <see cref="JsonException"/> for anything else.</summary>
    public static SaveResponse? ReadOne(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, isFinalBlock: true, state: default);
        Next(ref reader);
        if (reader.TokenType == JsonTokenType.Null)
        {
            End(ref reader);
            return null;
        }

        var result = ReadObject(ref reader);
        End(ref reader);
        return new SaveResponse { Id = result.Id, Success = result.Success, Created = result.Created, Errors = result.Errors ?? [] };
    }

    /// <summary>
    /// A collections answer: one result per record of the request, in its order, as <see cref="SaveResult"/>s numbered from
    /// <paramref name="offset"/>; a result without an id gets <paramref name="knownId"/>'s (an update's or a delete's own).
    /// Throws <see cref="SalesforceException"/> when the count is not <paramref name="count"/>.
    /// </summary>
    public static List<SaveResult> ReadMany<TState>(ReadOnlySpan<byte> json, int count, int offset, TState state, Func<TState, int, string?> knownId)
    {
        var reader = new Utf8JsonReader(json, isFinalBlock: true, state: default);
        Next(ref reader);
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"Expected an array of save results, found {reader.TokenType}.");
        }

        var results = new List<SaveResult>(count);
        while (true)
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                break;
            }

            var item = ReadObject(ref reader);
            var index = results.Count;
            results.Add(new SaveResult
            {
                Index = offset + index,
                Id = item.Id ?? (index < count ? knownId(state, index) : null),
                Success = item.Success,
                Created = item.Created,
                Errors = item.Errors is { Count: > 0 } errors ? errors.ConvertAll(e => e.ToError()) : [],
            });
        }

        End(ref reader);
        return results.Count == count ? results : throw new SalesforceException($"Salesforce returned {results.Count} results for {count} records.");
    }

    private readonly record struct Item(string? Id, bool Success, bool? Created, List<SaveError>? Errors);

    /// <summary>Reads the object at the reader (on its <c>StartObject</c>) up to its <c>EndObject</c>.</summary>
    private static Item ReadObject(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        string? id = null;
        var success = false;
        bool? created = null;
        List<SaveError>? errors = null;
        while (true)
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return new Item(id, success, created, errors);
            }

            var name = Name(ref reader);
            Next(ref reader);
            switch (name)
            {
                case Property.Id:
                    id = String(ref reader);
                    break;
                case Property.Success:
                    success = Boolean(ref reader) ?? throw new JsonException("A save result's success is null.");
                    break;
                case Property.Created:
                    created = Boolean(ref reader);
                    break;
                case Property.Errors:
                    errors = ReadErrors(ref reader);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
    }

    private static List<SaveError>? ReadErrors(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.StartArray);
        List<SaveError>? errors = null;
        while (true)
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return errors;
            }

            Expect(ref reader, JsonTokenType.StartObject);
            string? statusCode = null, errorCode = null, message = null;
            List<string>? fields = null;
            while (true)
            {
                Next(ref reader);
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }

                var name = Name(ref reader);
                Next(ref reader);
                switch (name)
                {
                    case Property.StatusCode:
                        statusCode = String(ref reader);
                        break;
                    case Property.ErrorCode:
                        errorCode = String(ref reader);
                        break;
                    case Property.Message:
                        message = String(ref reader);
                        break;
                    case Property.Fields:
                        fields = ReadStrings(ref reader);
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            (errors ??= []).Add(new SaveError { StatusCode = statusCode, ErrorCode = errorCode, Message = message ?? string.Empty, Fields = fields ?? [] });
        }
    }

    private static List<string>? ReadStrings(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.StartArray);
        var values = new List<string>();
        while (true)
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return values;
            }

            values.Add(String(ref reader) ?? string.Empty);
        }
    }

    private enum Property
    {
        Other,
        Id,
        Success,
        Created,
        Errors,
        StatusCode,
        ErrorCode,
        Message,
        Fields,
    }

    /// <summary>The property at the reader, matched case-insensitively as the SDK's read options match names.</summary>
    private static Property Name(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.PropertyName)
        {
            throw new JsonException($"Expected a property name, found {reader.TokenType}.");
        }

        if (reader.ValueIsEscaped || reader.HasValueSequence)
        {
            return Match(Encoding.UTF8.GetBytes(reader.GetString()!));
        }

        return Match(reader.ValueSpan);

        static Property Match(ReadOnlySpan<byte> name) => name.Length switch
        {
            2 when Ascii.EqualsIgnoreCase(name, "id"u8) => Property.Id,
            6 when Ascii.EqualsIgnoreCase(name, "errors"u8) => Property.Errors,
            6 when Ascii.EqualsIgnoreCase(name, "fields"u8) => Property.Fields,
            7 when Ascii.EqualsIgnoreCase(name, "success"u8) => Property.Success,
            7 when Ascii.EqualsIgnoreCase(name, "created"u8) => Property.Created,
            7 when Ascii.EqualsIgnoreCase(name, "message"u8) => Property.Message,
            9 when Ascii.EqualsIgnoreCase(name, "errorCode"u8) => Property.ErrorCode,
            10 when Ascii.EqualsIgnoreCase(name, "statusCode"u8) => Property.StatusCode,
            _ => Property.Other,
        };
    }

    /// <summary>A string or null; anything else is a <see cref="JsonException"/>, as the generated metadata throws.</summary>
    private static string? String(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Null => null,
        _ => throw new JsonException($"Expected a string in a save result, found {reader.TokenType}."),
    };

    private static bool? Boolean(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        JsonTokenType.Null => null,
        _ => throw new JsonException($"Expected true or false in a save result, found {reader.TokenType}."),
    };

    private static void Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException("The save result ended early.");
        }
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (reader.TokenType != type)
        {
            throw new JsonException($"Expected {type} in a save result, found {reader.TokenType}.");
        }
    }

    /// <summary>Nothing may follow the value but whitespace.</summary>
    private static void End(ref Utf8JsonReader reader)
    {
        if (reader.Read())
        {
            throw new JsonException($"Unexpected {reader.TokenType} after the save result.");
        }
    }
}
