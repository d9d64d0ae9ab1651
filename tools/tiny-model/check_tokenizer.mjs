// Compares transformers.js token ids with the Python tokenizer (bpe.py) on saved samples.
// Usage (repo root): node tools/tiny-model/check_tokenizer.mjs <folder with tokenizer.json> <samples.json>
import { readFileSync } from "node:fs";
import { PreTrainedTokenizer } from "@huggingface/transformers";

const [folder, samplesPath] = process.argv.slice(2);
const tj = JSON.parse(readFileSync(`${folder}/tokenizer.json`, "utf8"));
const tc = JSON.parse(readFileSync(`${folder}/tokenizer_config.json`, "utf8"));
const tok = new PreTrainedTokenizer(tj, tc);
const samples = JSON.parse(readFileSync(samplesPath, "utf8"));
let bad = 0;
for (const s of samples) {
  const ids = tok.encode(s.text, { add_special_tokens: false });
  const back = tok.decode(ids);
  if (JSON.stringify(ids) !== JSON.stringify(s.ids) || back !== s.text.normalize("NFC")) {
    if (bad < 3) console.log("MISMATCH", JSON.stringify(s.text), ids.slice(0, 20), s.ids.slice(0, 20), JSON.stringify(back));
    bad++;
  }
}
console.log(`${samples.length - bad}/${samples.length} identical`);
process.exit(bad ? 1 : 0);
