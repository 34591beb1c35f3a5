// jsforce, as its users write it, against the emulator: `node check.mjs <instanceUrl> <accessToken>`.
// Prints one JSON object with what it saw; any error exits non-zero.
import jsforce from 'jsforce';

const [, , instanceUrl, accessToken] = process.argv;
const conn = new jsforce.Connection({ instanceUrl, accessToken, version: '66.0' });
const seen = {};

const global = await conn.describeGlobal();
seen.objects = global.sobjects.map((s) => s.name);
const describe = await conn.sobject('Opportunity').describe();
seen.stages = describe.fields.find((f) => f.name === 'StageName').picklistValues.map((p) => p.value);

const created = await conn.sobject('Account').create({ Name: 'jsforce Co', Industry: 'Media' });
seen.created = created;
const record = await conn.sobject('Account').retrieve(created.id);
seen.retrieved = { Id: record.Id, Name: record.Name, Industry: record.Industry };
await conn.sobject('Account').update({ Id: created.id, Industry: 'Energy' });
seen.updatedIndustry = (await conn.sobject('Account').retrieve(created.id)).Industry;

try {
  await conn.sobject('Account').create({ Industry: 'Media' });
} catch (e) {
  seen.missingName = { errorCode: e.errorCode, message: e.message };
}

const limits = await conn.limits();
seen.dailyApiMax = limits.DailyApiRequests.Max;

await conn.sobject('Account').destroy(created.id);
try {
  await conn.sobject('Account').retrieve(created.id);
} catch (e) {
  seen.afterDelete = e.errorCode;
}

console.log(JSON.stringify(seen));
