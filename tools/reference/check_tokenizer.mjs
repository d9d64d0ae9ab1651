// Checks that transformers.js tokenizes each fixture's text to the ids in
// fixtures/reference/<name>.json, decodes them back, and applies the chat template.
// Run from the repo root: node tools/reference/check_tokenizer.mjs
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { AutoTokenizer, env } from "@huggingface/transformers";

env.allowRemoteModels = false;
env.localModelPath = path.resolve("fixtures/models") + "/";
let bad = 0;
for (const name of readdirSync("fixtures/models")) {
  const ref = JSON.parse(readFileSync(`fixtures/reference/${name}.json`, "utf8"));
  const tok = await AutoTokenizer.from_pretrained(name);
  const ids = tok.encode(ref.text, { add_special_tokens: false });
  const same = JSON.stringify(ids) === JSON.stringify(ref.ids);
  const back = tok.decode(ref.ids);
  let chat = "";
  if (tok.chat_template) {
    chat = tok.apply_chat_template([{ role: "user", content: "hi" }], { tokenize: false, add_generation_prompt: true });
    const chatIds = tok.apply_chat_template([{ role: "user", content: "hi" }], { add_generation_prompt: true, return_tensor: false });
    chat = JSON.stringify(chat) + " " + JSON.stringify(chatIds);
  }
  console.log(name, same ? "ok" : "MISMATCH", JSON.stringify(back), chat);
  if (!same || back !== ref.text) { bad++; console.log("  js ids", ids, "ref ids", ref.ids); }
}
process.exit(bad ? 1 : 0);
