// faker.mjs writes testdata/redact/independent/faker-lists.json: given names,
// surnames, street names or suffixes, city names and postcode patterns of
// @faker-js/faker locales that the redactor's lexicon (redact/lexicon, built
// from en de fr es it nl pt_PT pt_BR) does NOT use, so the independent
// evaluation meets names the redactor has never been given.
//
//   mkdir -p /tmp/fk && (cd /tmp/fk && npm i @faker-js/faker@10.6.0)
//   NODE_PATH=/tmp/fk/node_modules node bench/redacteval/independent/gen/faker.mjs \
//     > testdata/redact/independent/faker-lists.json
import { createRequire } from 'node:module';

const require = createRequire(process.env.NODE_PATH ? process.env.NODE_PATH + '/' : import.meta.url);
const { allLocales } = require('@faker-js/faker');
const version = require('@faker-js/faker/package.json').version;

const locales = ['en_AU', 'en_GB', 'en_US', 'en_CA', 'en_IE', 'de_AT', 'de_CH', 'fr_BE', 'fr_CH', 'fr_CA',
  'es_MX', 'nl_BE', 'ro', 'pl', 'cs_CZ', 'hr', 'sk'];
const cap = 400;

function flatten(v) {
  if (!v) return [];
  if (Array.isArray(v)) return v.flat(Infinity);
  return Object.values(v).flat(Infinity);
}
function clean(list) {
  const out = [...new Set(flatten(list).filter((s) => typeof s === 'string' && !s.includes('{{') && !s.includes('#')))];
  out.sort();
  return out.slice(0, cap);
}
function patterns(list) {
  return [...new Set(flatten(list).filter((s) => typeof s === 'string' && !s.includes('{{')))].sort().slice(0, 60);
}

const out = { source: '@faker-js/faker', version, licence: 'MIT', locales: {} };
for (const l of locales) {
  const L = allLocales[l];
  if (!L) continue;
  const p = L.person || {};
  const loc = L.location || {};
  out.locales[l] = {
    given: clean(p.first_name),
    surname: clean(p.last_name),
    street_name: clean(loc.street_name),
    street_suffix: clean(loc.street_suffix),
    street_prefix: clean(loc.street_prefix),
    city_name: clean(loc.city_name),
    postcode: patterns(loc.postcode),
  };
}
process.stdout.write(JSON.stringify(out, null, 1) + '\n');
