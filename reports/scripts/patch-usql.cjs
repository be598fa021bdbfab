// duckdb-wasm 1.28.0 is the only version with parquet built in (newer ones download the extension at start-up
// and hang offline). It predates two settings universal-sql SETs at start-up: make those two SETs best-effort.
const fs = require('fs');
const path = require('path');

const dir = path.join(__dirname, '..', 'node_modules', '@evidence-dev', 'universal-sql', 'src', 'client-duckdb');
const MARK = '/*offline-patched*/';
for (const file of ['node.js', 'browser.js']) {
  const target = path.join(dir, file);
  const source = fs.readFileSync(target, 'utf8');
  if (source.includes(MARK)) continue;
  const patched = source.replace(
    /await connection\.query\('SET (ieee_floating_point_ops|old_implicit_casting)[^']*'\);/g,
    (statement) => `${MARK} try { ${statement} } catch (e) {}`,
  );
  if (patched === source) throw new Error(`patch-usql: no SET statement to patch in ${target}`);
  fs.writeFileSync(target, patched);
}

// A source query with no rows (no quarantined files yet, a seller with no reversals) writes no Parquet file, and
// the build then fails reading it ("too small to be a Parquet file", evidence-dev/evidence#2466): write the
// empty batch too, so an empty source is a valid Parquet file with its columns and zero rows.
const builder = path.join(__dirname, '..', 'node_modules', '@evidence-dev', 'universal-sql', 'src', 'build-parquet.js');
const built = fs.readFileSync(builder, 'utf8');
if (!built.includes(MARK)) {
  const flushLast = 'if (currentBatch.length) await flush(currentBatch);';
  if (!built.includes(flushLast)) throw new Error(`patch-usql: no final flush to patch in ${builder}`);
  fs.writeFileSync(builder, built.replace(flushLast, `${MARK} if (currentBatch.length || !tmpFilenames.length) await flush(currentBatch);`));
}
