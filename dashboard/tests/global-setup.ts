// One fresh server (and fake provider) for the whole run; the tests learn
// their URLs from the environment.
import { startServers } from "../scripts/servers.mjs";

export default async function globalSetup() {
  const { url, fakeUrl, database, stop } = await startServers();
  process.env.IRON_DB = database;
  process.env.IRON_URL = url;
  process.env.FAKE_URL = fakeUrl;
  return stop;
}
