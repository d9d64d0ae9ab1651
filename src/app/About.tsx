// About & credits: what xlens is after, and the data it ships with its licences (XQuAD is
// CC BY-SA 4.0: the attribution and licence go wherever its text does).
const BASE = import.meta.env.BASE_URL;

/** open the About & credits panel and bring it into view (from a "credits" link elsewhere) */
export function showAbout(): void {
  const d = document.getElementById('about') as HTMLDetailsElement | null;
  if (!d) return;
  d.open = true;
  d.scrollIntoView({ block: 'nearest' });
  d.querySelector('summary')?.focus();
}

export function About() {
  return (
    <details className="about" id="about" data-testid="about">
      <summary>About &amp; credits</summary>
      <p>
        xlens shows, layer by layer, how a language model encodes a question and retrieves its answer when the context and the question are in different
        languages, after Gao et al., “Understanding LLMs' Cross-Lingual Context Retrieval: How Good It Is And Where It Comes From”, EMNLP 2025.
      </p>
      <h3>XQuAD</h3>
      <p data-testid="xquad-credit">
        The XQuAD example set is XQuAD by Mikel Artetxe, Sebastian Ruder and Dani Yogatama, “On the Cross-lingual Transferability of Monolingual
        Representations”, ACL 2020 (github.com/google-deepmind/xquad), from SQuAD v1.1 (Rajpurkar et al., 2016; Wikipedia text); Romanian from Dumitrescu et
        al., LiRo (NeurIPS 2021 Datasets and Benchmarks). It is licensed{' '}
        <a href={`${BASE}data/xquad/LICENSE-CC-BY-SA-4.0.txt`} rel="license">
          CC BY-SA 4.0
        </a>
        ; xlens ships it trimmed of surrounding whitespace and re-encoded, one file per language, under the same licence (
        <a href={`${BASE}data/xquad/README.md`}>what was changed</a>).
      </p>
      <h3>Models</h3>
      <p>The bundled tiny models were trained for xlens on synthetic text; they never saw XQuAD. Hub models keep their own licences.</p>
    </details>
  );
}
