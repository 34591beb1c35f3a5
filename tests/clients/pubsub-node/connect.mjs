// What subscribe.mjs and managed.mjs share: their command line and a Pub/Sub API client made as Salesforce's Node.js quick
// start makes one (@grpc/proto-loader on the proto; TLS channel credentials combined with call credentials that add
// accesstoken, instanceurl and tenantid to every call).
//
// Command line: <proto> <host:port> <instanceUrl> <accessToken> <tenantId> <name> <count>, where name is the topic
// (subscribe.mjs) or the managed subscription's developer name (managed.mjs).
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';

export function connect() {
  const [protoPath, endpoint, instanceUrl, accessToken, tenantId, name, countText] = process.argv.slice(2);
  const packageDef = protoLoader.loadSync(protoPath, { keepCase: false, longs: String, enums: String, defaults: true, oneofs: true });
  const eventbus = grpc.loadPackageDefinition(packageDef).eventbus.v1;
  const callCredentials = grpc.credentials.createFromMetadataGenerator((_params, callback) => {
    const metadata = new grpc.Metadata();
    metadata.add('accesstoken', accessToken);
    metadata.add('instanceurl', instanceUrl);
    metadata.add('tenantid', tenantId);
    callback(null, metadata);
  });
  const client = new eventbus.PubSub(endpoint, grpc.credentials.combineChannelCredentials(grpc.credentials.createSsl(), callCredentials));
  // A unary call as a promise.
  const unary = (method, request) => new Promise((resolve, reject) =>
    client[method](request, (error, response) => (error ? reject(error) : resolve(response))));
  return { client, unary, name, count: Number(countText) };
}
