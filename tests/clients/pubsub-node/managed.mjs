// A managed subscriber (Pub/Sub API ManagedSubscribe, beta) as Salesforce's Java example genericpubsub.ManagedSubscribe
// works, written with the same Node.js stack and channel (connect.mjs) as subscribe.mjs (@grpc/grpc-js, @grpc/proto-loader,
// avro-js): it names the managed subscription by developer name, processes each batch, then commits the response's latest
// replay id (for an empty batch too) and checks the commit's answer. Run unchanged against the emulator by
// Atom.Salesforce.IntegrationTests.
//
// node managed.mjs <proto> <host:port> <instanceUrl> <accessToken> <tenantId> <developerName> <count>
// Prints one JSON line per event (replay id, change type, record ids, Name), then one for the commit that covered the last one.
import crypto from 'crypto';
import grpc from '@grpc/grpc-js';
import avro from 'avro-js';
import { connect } from './connect.mjs';

const { client, unary, name: developerName, count } = connect();
const schemas = new Map();

async function schemaOf(schemaId) {
  if (!schemas.has(schemaId)) {
    const info = await unary('GetSchema', { schemaId });
    schemas.set(schemaId, avro.parse(info.schemaJson));
  }
  return schemas.get(schemaId);
}

const replayOf = (bytes) => bytes.readBigUInt64BE().toString();
const plain = (value) => (value !== null && typeof value === 'object' && Object.keys(value).length === 1 ? Object.values(value)[0] : value);

function run() {
  return new Promise((resolve, reject) => {
    let received = 0;
    let lastEvent = null;
    const pendingCommits = new Map();
    const stream = client.ManagedSubscribe();
    let chain = Promise.resolve();
    stream.on('data', (response) => {
      // Responses are handled one after the other, as the Java example's observer does.
      chain = chain.then(async () => {
        if (response.commitResponse) {
          const commit = response.commitResponse;
          const replayId = replayOf(commit.replayId);
          if (pendingCommits.get(commit.commitRequestId) === replayId && received >= count && BigInt(replayId) >= BigInt(lastEvent)) {
            console.log(JSON.stringify({ committed: replayId, error: commit.error ? commit.error.msg : null, processTime: commit.processTime }));
            stream.cancel();
            resolve();
          }
          return;
        }
        for (const consumerEvent of response.events) {
          const schema = await schemaOf(consumerEvent.event.schemaId);
          const event = schema.fromBuffer(consumerEvent.event.payload);
          const header = event.ChangeEventHeader;
          lastEvent = replayOf(consumerEvent.replayId);
          console.log(JSON.stringify({ replayId: lastEvent, changeType: header.changeType, recordIds: header.recordIds, name: plain(event.Name) }));
          received++;
        }
        // Commit after processing the batch, or the latest replay id of an empty one.
        const commitRequestId = crypto.randomUUID();
        pendingCommits.set(commitRequestId, replayOf(response.latestReplayId));
        stream.write({ commitReplayIdRequest: { commitRequestId, replayId: response.latestReplayId } });
        if (response.pendingNumRequested === 0) stream.write({ numRequested: count });
      }).catch(reject);
    });
    stream.on('error', (error) => (error.code === grpc.status.CANCELLED && received >= count ? resolve() : reject(error)));
    stream.write({ developerName, numRequested: count });
  });
}

// A managed subscription serves one client: a stream that just closed can hold it for a moment, so retry with backoff as
// Salesforce's "Retry Long-Lived RPC Calls" advises.
for (let attempt = 1; ; attempt++) {
  try {
    await run();
    break;
  } catch (error) {
    if (error.code !== grpc.status.FAILED_PRECONDITION || attempt >= 20) throw error;
    console.error(`attempt ${attempt}: ${error.details}`);
    await new Promise((r) => setTimeout(r, 100 * attempt));
  }
}
client.close();
