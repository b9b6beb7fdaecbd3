// Child-process fixture: starts DynamoDB Local, reports its port and the java pid on stdout,
// then idles until killed. Used to check what happens to java when its parent dies.
import { startDynamoDbLocal } from '../../src';

startDynamoDbLocal().then((ddb) => {
  process.stdout.write(`${JSON.stringify({ port: ddb.port, pid: ddb.pid })}\n`);
  setInterval(() => {}, 60_000);
});
