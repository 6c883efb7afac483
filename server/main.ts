/**
 * Runs the app server alone, configured from the environment (APP_PORT,
 * DATA_DIR, DATABASE_URL, TOKEN_SECRET, …): `tsx server/main.ts`. `npm start`
 * runs it together with PartyKit and the editor (scripts/start.ts).
 */
import { bootAppServer, describeStartError } from './boot';
import { loadConfig } from './config';

const config = loadConfig();
const booted = await bootAppServer(config).catch((e: unknown) => {
  console.error(`could not start the app server: ${describeStartError(e, config)}`);
  process.exit(1);
});
console.log(`app server listening on ${booted.server.url} (data in ${config.dataDir})`);
if (booted.seed.seeded) console.log(`seeded the demo party "${booted.seed.party.name}"`);

const stop = () => {
  void booted.close().finally(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
