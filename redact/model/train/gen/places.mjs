// places.mjs writes places.json (street names, house numbers, secondary
// address parts, towns, postcodes, states) for the name and address tagger's
// training sentences, from @faker-js/faker 10.6.0 (MIT licence, notice in
// redact/lexicon/LICENSE-faker.txt), for the same locales as redact/lexicon
// (en de fr es it nl pt_PT pt_BR), never the evaluation's locales.
//
// Run from redact/model/train:
//   mkdir -p /tmp/fk && (cd /tmp/fk && npm i @faker-js/faker@10.6.0)
//   NODE_PATH=/tmp/fk/node_modules node gen/places.mjs > places.json
import { createRequire } from 'node:module';

const require = createRequire(process.env.NODE_PATH ? process.env.NODE_PATH + '/' : import.meta.url);
const { Faker, allLocales } = require('@faker-js/faker');
const fakerVersion = require('@faker-js/faker/package.json').version;

const locales = { en: ['en'], de: ['de'], fr: ['fr'], es: ['es'], it: ['it'], nl: ['nl'], pt: ['pt_PT', 'pt_BR'] };
const perLocale = 600;
const out = { source: `@faker-js/faker ${fakerVersion} (MIT)`, languages: {} };
for (const [lang, locs] of Object.entries(locales)) {
  const rows = { street: [], number: [], secondary: [], city: [], postcode: [], state: [] };
  for (const loc of locs) {
    const f = new Faker({ locale: [allLocales[loc], allLocales.en, allLocales.base] });
    f.seed(14);
    const n = Math.floor(perLocale / locs.length);
    for (let i = 0; i < n; i++) {
      rows.street.push(f.location.street());
      rows.number.push(f.location.buildingNumber());
      rows.secondary.push(f.location.secondaryAddress());
      rows.city.push(f.location.city());
      rows.postcode.push(f.location.zipCode());
      rows.state.push(f.location.state({ abbreviated: i % 2 === 0 }));
    }
  }
  for (const k of Object.keys(rows)) rows[k] = [...new Set(rows[k])];
  out.languages[lang] = rows;
}
process.stdout.write(JSON.stringify(out, null, 0) + '\n');
