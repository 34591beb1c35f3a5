using Grpc.Core;

namespace Atom.Salesforce.Emulator.PubSub;

/// <summary>
/// A subscription stream's flow control: how many events the client may still receive (what it requested, at most
/// <see cref="PubSubService.MaxRequested"/> at a time), and a signal that wakes the sending loop when it asks for more or
/// when a later request is refused.
/// </summary>
internal sealed class FlowControl(int firstRequested)
{
    private readonly object _gate = new();
    private int _pending = Math.Clamp(firstRequested, 0, PubSubService.MaxRequested);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private RpcException? _refused;

    /// <summary>The error a later request ended the stream with, or null.</summary>
    public RpcException? Refused
    {
        get
        {
            lock (_gate)
            {
                return _refused;
            }
        }
    }

    /// <summary>What the client may receive now, and a task that completes when that changes.</summary>
    public (int Allowed, Task Changed) Credit()
    {
        lock (_gate)
        {
            return (_pending, _changed.Task);
        }
    }

    /// <summary>Adds a request's <c>num_requested</c> to the credit.</summary>
    public void Add(int requested)
    {
        lock (_gate)
        {
            _pending = Math.Min(PubSubService.MaxRequested, _pending + Math.Max(0, requested));
        }

        Signal();
    }

    /// <summary>Takes <paramref name="sent"/> events off the credit; what the client may still receive.</summary>
    public int Take(int sent)
    {
        lock (_gate)
        {
            _pending -= sent;
            return _pending;
        }
    }

    /// <summary>Ends the stream with <paramref name="error"/> (a later request broke the RPC's rules).</summary>
    public void Refuse(RpcException error)
    {
        lock (_gate)
        {
            _refused ??= error;
        }

        Signal();
    }

    private void Signal()
    {
        TaskCompletionSource signal;
        lock (_gate)
        {
            signal = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        signal.TrySetResult();
    }
}
