// A Pub/Sub API subscriber as Salesforce's Node.js quick start writes one (@grpc/grpc-js, @grpc/proto-loader and
// avro-js; TLS channel credentials combined with call credentials that add accesstoken, instanceurl and tenantid to
// every call), run unchanged against the emulator by Atom.Salesforce.IntegrationTests. The emulator's self-signed
// certificate is trusted through NODE_EXTRA_CA_CERTS, as any private CA would be. The channel is connect.mjs's.
//
// node subscribe.mjs <proto> <host:port> <instanceUrl> <accessToken> <tenantId> <topic> <count>
// Prints one JSON line per event: replay id, header (bitmap fields decoded to field names) and the non-null fields.
import grpc from '@grpc/grpc-js';
import avro from 'avro-js';
import { connect } from './connect.mjs';

const { client, unary, name: topicName, count } = connect();

// Bitmap fields (Pub/Sub API guide, "Event Deserialization Considerations"): '0x…' is a hex number whose bit i names
// the schema's field i; '{i}-0x…' names nested fields of the compound field i.
function bitsOf(hex) {
  const value = BigInt(hex);
  const positions = [];
  for (let i = 0n; (1n << i) <= value; i++) {
    if (value & (1n << i)) positions.push(Number(i));
  }
  return positions;
}

function fieldNames(schemaJson, bitmaps) {
  const fields = JSON.parse(schemaJson).fields;
  const names = [];
  for (const bitmap of bitmaps) {
    const dash = bitmap.indexOf('-');
    if (dash < 0) {
      for (const i of bitsOf(bitmap)) names.push(fields[i].name);
    } else {
      const parent = fields[Number(bitmap.slice(0, dash))];
      const nested = parent.type.find((t) => typeof t === 'object' && t.type === 'record');
      for (const i of bitsOf(bitmap.slice(dash + 1))) names.push(`${parent.name}.${nested.fields[i].name}`);
    }
  }
  return names;
}

// avro-js decodes a union's value as { typeName: value }; print the value itself.
function plain(value) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && !/^[A-Z]/.test(keys[0])) return plain(value[keys[0]]);
  if (keys.length === 1 && keys[0].includes('.')) return plain(value[keys[0]]);
  return Object.fromEntries(keys.filter((k) => value[k] !== null).map((k) => [k, plain(value[k])]));
}

const topic = await unary('GetTopic', { topicName });
const schemaInfo = await unary('GetSchema', { schemaId: topic.schemaId });
const schema = avro.parse(schemaInfo.schemaJson);

let received = 0;
const stream = client.Subscribe();
const done = new Promise((resolve, reject) => {
  stream.on('data', (response) => {
    for (const consumerEvent of response.events) {
      const event = schema.fromBuffer(consumerEvent.event.payload);
      const header = event.ChangeEventHeader;
      const fields = {};
      for (const [name, value] of Object.entries(event)) {
        if (name !== 'ChangeEventHeader' && value !== null) fields[name] = plain(value);
      }
      console.log(JSON.stringify({
        replayId: consumerEvent.replayId.readBigUInt64BE().toString(),
        changeType: header.changeType,
        entityName: header.entityName,
        recordIds: header.recordIds,
        changedFields: fieldNames(schemaInfo.schemaJson, header.changedFields),
        nulledFields: fieldNames(schemaInfo.schemaJson, header.nulledFields),
        fields,
      }));
      received++;
    }
    if (received >= count) {
      stream.cancel();
      resolve();
    }
  });
  stream.on('error', (error) => (error.code === grpc.status.CANCELLED && received >= count ? resolve() : reject(error)));
});
stream.write({ topicName, replayPreset: 'EARLIEST', numRequested: count });
console.error(`subscribed to ${topicName} (schema ${topic.schemaId})`);
await done;
client.close();
