// Copies lunr and the Dutch language files to wwwroot/lib/lunr, served as they are (the CSP allows only our own scripts).
import { copyFileSync, mkdirSync } from "node:fs";
const target = "../wwwroot/lib/lunr";
mkdirSync(target, { recursive: true });
copyFileSync("node_modules/lunr/lunr.min.js", `${target}/lunr.min.js`);
copyFileSync("node_modules/lunr-languages/min/lunr.stemmer.support.min.js", `${target}/lunr.stemmer.support.min.js`);
copyFileSync("node_modules/lunr-languages/min/lunr.nl.min.js", `${target}/lunr.nl.min.js`);
