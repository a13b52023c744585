// Regenerates src/api/schema.d.ts from a running server's OpenAPI document:
//   IRON_URL=http://127.0.0.1:8080 npm run gen:api
import { writeFileSync } from "node:fs";
import openapiTS, { astToString } from "openapi-typescript";

const url = (process.env.IRON_URL ?? "http://127.0.0.1:8080") + "/api/openapi.json";
const doc = await (await fetch(url)).json();
const banner = "/**\n * Generated from iron-server's /api/openapi.json by scripts/gen-api.mjs. Do not edit.\n */\n\n";
writeFileSync(new URL("../src/api/schema.d.ts", import.meta.url), banner + astToString(await openapiTS(doc)));
console.log("wrote src/api/schema.d.ts from", url);
