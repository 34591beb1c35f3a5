using System.Net.Sockets;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Models;
using Npgsql;

namespace Atom.Salesforce.Client.Postgres.Storage;

/// <summary>The one place where an Npgsql or network failure becomes a <see cref="SalesforceException"/>.</summary>
internal static class StoreErrors
{
    /// <summary>PostgreSQL's undefined_table: the migrations were not run.</summary>
    private const string UndefinedTable = "42P01";

    public static bool IsDatabaseFailure(Exception e) =>
        e is NpgsqlException or IOException or SocketException or TimeoutException;

    /// <summary>
    /// A clear exception for a failed database operation. Network failures, timeouts and PostgreSQL's transient states are
    /// <see cref="SalesforceException.IsTransient"/>. The message names the operation and the server (host, port, database),
    /// never the password, and never a token (tokens only travel as ciphertext parameters).
    /// </summary>
    public static SalesforceException Wrap(Exception e, string operation, TokenStoreDataSource dataSource)
    {
        if (e is PostgresException { SqlState: UndefinedTable })
        {
            return new SalesforceException(
                $"The PostgreSQL token store could not {operation}: its tables do not exist in {dataSource.Description}. Run the migrations (PostgresTokenStoreOptions.MigrateOnStart, or PostgresTokenStoreMigrator.MigrateAsync).",
                e, isTransient: false)
            {
                ErrorCode = SalesforceError.Codes.TokenStoreFailed,
            };
        }

        if (e is PostgresException pg)
        {
            return new SalesforceException(
                $"The PostgreSQL token store could not {operation}: PostgreSQL at {dataSource.Description} answered {pg.SqlState} ({pg.MessageText}).",
                e, isTransient: pg.IsTransient)
            {
                ErrorCode = SalesforceError.Codes.TokenStoreFailed,
            };
        }

        var timedOut = e is TimeoutException || e.InnerException is TimeoutException;
        var transient = e is not NpgsqlException npgsql || npgsql.IsTransient || timedOut;
        var reason = timedOut
            ? "the database did not answer in time"
            : "the database is unreachable or the connection was lost";
        return new SalesforceException(
            $"The PostgreSQL token store could not {operation}: {reason} ({dataSource.Description}). Trying again later may succeed.",
            e, isTransient: transient)
        {
            ErrorCode = SalesforceError.Codes.ConnectionFailed,
        };
    }
}
