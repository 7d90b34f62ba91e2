/**
 * @module The factor screens' CSS. Every rule is under `.vgf`, so it is safe both inside the
 * widget's shadow root and in a light-DOM page; colours and radius come from the widget's custom
 * properties (`--vg-accent`, `--vg-text`, ...) with accessible defaults.
 */
export const STYLES = `
.vgf{color:var(--vg-text,#1c1e21);font:inherit;line-height:1.45}
.vgf h2{font-size:1.15em;margin:0 0 .75em}
.vgf h2:focus{outline:none}
.vgf p{margin:.5em 0}
.vgf button{font:inherit;min-height:2.75em;padding:.5em 1em;border-radius:var(--vg-radius,8px);border:1px solid var(--vg-accent,#0b57d0);background:var(--vg-accent,#0b57d0);color:var(--vg-accent-text,#fff);cursor:pointer}
.vgf button.vgf-2{background:transparent;color:var(--vg-accent,#0b57d0)}
.vgf button:disabled{opacity:.55;cursor:default}
.vgf :focus-visible{outline:3px solid var(--vg-focus,#f29900);outline-offset:2px}
.vgf a{color:var(--vg-accent,#0b57d0)}
.vgf label{display:block;font-weight:600;margin:.75em 0 .25em}
.vgf input[type=text]{font:inherit;min-width:0;flex:1;padding:.5em .6em;border:1px solid var(--vg-border,#8a8f98);border-radius:var(--vg-radius,8px);background:var(--vg-bg,#fff);color:inherit}
.vgf .vgf-code{font-size:1.3em;letter-spacing:.3em;max-width:9em;font-variant-numeric:tabular-nums}
.vgf input[aria-invalid=true]{border-color:var(--vg-error,#b3261e)}
.vgf-opts{display:grid;gap:.5em;margin:.5em 0 1em}
.vgf-row{display:flex;flex-wrap:wrap;gap:.5em;align-items:center;margin:.5em 0}
.vgf-msg:empty,.vgf-live:empty{display:none}
.vgf-live{margin:0 0 .75em;padding:.5em .75em;border-radius:var(--vg-radius,8px);background:var(--vg-box-bg,#fffaf0)}
.vgf-err{color:var(--vg-error,#b3261e)}
.vgf-ok{color:var(--vg-success,#146c2e)}
.vgf-warn{background:var(--vg-box-bg,#fffaf0);border-inline-start:4px solid var(--vg-warning,#8a5a00);padding:.5em .75em;border-radius:var(--vg-radius,8px)}
.vgf img{display:block;width:176px;height:176px;margin:.5em 0;image-rendering:pixelated;background:#fff}
.vgf-mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:1.05em;word-spacing:.2em}
.vgf-codes{columns:11em 2;margin:.5em 0;padding-inline-start:2.25em}
.vgf-codes li{white-space:nowrap}
.vgf-list{list-style:none;padding:0;margin:.5em 0 1em}
.vgf-list li{padding:.4em 0;border-bottom:1px solid var(--vg-rule,#e3e5e8)}
.vgf-list small{color:var(--vg-muted,#4d5158)}
.vgf .vgf-check{display:flex;gap:.5em;align-items:center;font-weight:400}
.vgf .vgf-check input{width:1.25em;height:1.25em;min-height:0;margin:0;padding:0;flex:none}
`
