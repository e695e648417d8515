/**
 * The paper's Figure 1, drawn: one network trained from W₀ to step k, copied, the two copies
 * trained on to step T with different SGD noise, and the straight line between them along which
 * the error is measured. Colours follow the page (currentColor), so it reads in both schemes.
 */
export function ExperimentDiagram() {
  return (
    <figure className="diagram" data-testid="experiment-diagram">
      <svg viewBox="0 0 520 230" role="img" aria-labelledby="diagram-title diagram-desc">
        <title id="diagram-title">Instability analysis (the paper’s Figure 1)</title>
        <desc id="diagram-desc">
          A line from the initial weights W0 to the weights at step k. There the network is copied; the two copies follow different wiggly paths to W1 and W2 at
          step T. A dashed straight line joins W1 and W2; the error is measured at every point alpha on it.
        </desc>
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0 0 L10 5 L0 10 z" fill="currentColor" />
          </marker>
        </defs>
        <g fill="none" stroke="currentColor" strokeWidth="2.5">
          <path d="M40 180 C 90 170, 120 150, 170 120" markerEnd="url(#arrow)" />
          <path d="M175 115 C 230 60, 280 90, 330 40 S 410 30, 440 40" stroke="#0072B2" markerEnd="url(#arrow)" />
          <path d="M175 120 C 240 150, 270 120, 320 175 S 400 200, 440 190" stroke="#E69F00" strokeDasharray="9 4" markerEnd="url(#arrow)" />
          <path d="M448 48 L448 182" stroke="#D55E00" strokeDasharray="3 5" strokeWidth="3" />
        </g>
        <g fill="currentColor" fontSize="15" fontFamily="system-ui, sans-serif">
          <circle cx="38" cy="181" r="5" />
          <text x="14" y="205">
            W₀ (step 0)
          </text>
          <circle cx="172" cy="118" r="5" />
          <text x="118" y="100">
            Wₖ (step k)
          </text>
          <text x="250" y="50" fill="#0072B2">
            copy 1, data order 1
          </text>
          <text x="250" y="222" fill="#E69F00">
            copy 2, data order 2
          </text>
          <circle cx="448" cy="40" r="5" />
          <text x="458" y="38">
            W¹ (T)
          </text>
          <circle cx="448" cy="190" r="5" />
          <text x="458" y="196">
            W² (T)
          </text>
          <text x="456" y="118" fill="#D55E00">
            α = 0…1
          </text>
          <text x="456" y="136" fill="#D55E00">
            error?
          </text>
        </g>
      </svg>
      <figcaption>
        Instability analysis, as in the paper’s Figure 1. Train one network to step k, copy it, train both copies to step T with different SGD noise, then
        measure the error at every point of the straight (dotted) line between them.
      </figcaption>
    </figure>
  );
}
