namespace Atom.Salesforce.Emulator.Data;

/// <summary>One error as Salesforce reports it: <c>{"message", "errorCode", "fields"}</c>.</summary>
internal sealed record ApiError(string ErrorCode, string Message, IReadOnlyList<string>? Fields = null);

/// <summary>A request the org refuses: the HTTP status and the errors of the body.</summary>
internal sealed class ApiException : Exception
{
    public ApiException(int status, string errorCode, string message, params string[] fields)
        : this(status, [new ApiError(errorCode, message, fields)])
    {
    }

    public ApiException(int status, IReadOnlyList<ApiError> errors)
        : base(errors.Count > 0 ? $"{errors[0].ErrorCode}: {errors[0].Message}" : "error")
    {
        Status = status;
        Errors = errors;
    }

    public int Status { get; }

    public IReadOnlyList<ApiError> Errors { get; }

    public static ApiException NotFound() => new(404, "NOT_FOUND", "The requested resource does not exist");

    public static ApiException InvalidField(string message, params string[] fields) => new(400, "INVALID_FIELD", message, fields);
}
