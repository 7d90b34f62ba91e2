/**
 * @module The widget's stylesheet (inside its shadow root, so the host page cannot break it).
 * Theming goes through CSS custom properties set on `verigate-verify` (docs/widget.md); every default
 * pair of text and background colours meets WCAG AA contrast. `[hidden]` wins over every
 * `display` rule here: the widget hides rows with the attribute (a `.row` is `display:flex`, which
 * would otherwise show a hidden row, and a control twice).
 */

export const STYLES = `
:host{display:block;max-width:440px;font:var(--vg-font,15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif);color:var(--vg-text,#1c1e21)}
*{box-sizing:border-box}
[hidden]{display:none!important}
.vg{background:var(--vg-bg,#fff);border:1px solid var(--vg-border,#8a8f98);border-radius:var(--vg-radius,12px);padding:20px;overflow-wrap:anywhere}
h2{font-size:1.25em;margin:0 0 8px;line-height:1.3}
h2:focus{outline:none}
h3{font-size:1em;margin:16px 0 6px}
p{margin:0 0 12px}
.muted{color:var(--vg-muted,#4d5158);font-size:.93em}
label{display:block;font-weight:600;margin:12px 0 4px}
input,select{font:inherit;color:inherit;background:var(--vg-bg,#fff);width:100%;min-height:44px;padding:8px 10px;border:1px solid var(--vg-border,#8a8f98);border-radius:8px}
input[aria-invalid=true]{border-color:var(--vg-error,#b3261e)}
.code-box{--cell:var(--vg-cell-bg,#f1f3f6);--line:var(--vg-muted,#4d5158);font:600 1.75em/1.2 ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;width:calc(var(--cells,6)*2ch + 1ch);max-width:100%;margin:0 auto;padding-inline-end:1ch;background:linear-gradient(90deg,transparent .2ch,var(--line) .2ch 1.8ch,transparent 1.8ch) 0 100%/2ch 2px repeat-x content-box,linear-gradient(90deg,transparent .2ch,var(--cell) .2ch 1.8ch,transparent 1.8ch) 0 0/2ch 100% repeat-x content-box;background-origin:content-box}
.code-box[data-long=true]{font-size:1.3em}
.code-box input.code{font:inherit;letter-spacing:1ch;padding:6px 0 6px .5ch;border:none;background:transparent;min-height:0;text-align:left;font-variant-numeric:tabular-nums}
.code-box input.code:focus-visible{outline-offset:4px}
.code-box input.code[aria-invalid=true]{color:var(--vg-error,#b3261e)}
.code-box:has(input[aria-invalid=true]){--line:var(--vg-error,#b3261e)}
.sent-to{margin:0 0 4px}
.sent-to .sep{color:var(--vg-muted,#4d5158)}
.sent-to .when{white-space:nowrap}
button.link.resend{min-height:24px;padding:0 2px;font-variant-numeric:tabular-nums}
button.link.resend:disabled{text-decoration:none;background:none;color:var(--vg-muted,#4d5158);cursor:default}
.status-line{margin:10px 0 0}
.status-line time{margin-inline-end:4px;font-variant-numeric:tabular-nums}
details.more{border-top:1px solid var(--vg-rule,#e3e5e8);padding-top:6px}
details.more>summary{font-weight:600;padding:6px 0}
.more-body{padding-top:4px}
.sent-to-full{margin:12px 0 0}
.sends-left{margin:8px 0 0}
.more-body h3:first-child{margin-top:4px}
button{font:inherit;min-height:44px;padding:8px 14px;border-radius:8px;border:1px solid var(--vg-accent,#0b57d0);background:var(--vg-bg,#fff);color:var(--vg-accent,#0b57d0);cursor:pointer}
button.primary{background:var(--vg-accent,#0b57d0);color:var(--vg-accent-text,#fff);width:100%;margin-top:14px;font-weight:600}
button.link{border:none;background:none;padding:4px 0;min-height:32px;text-decoration:underline;color:var(--vg-accent,#0b57d0)}
button:disabled{cursor:not-allowed;border-color:var(--vg-border,#8a8f98);color:var(--vg-muted,#4d5158);background:var(--vg-disabled-bg,#eceef1)}
button:focus-visible,input:focus-visible,select:focus-visible,a:focus-visible,summary:focus-visible{outline:3px solid var(--vg-focus,#b45309);outline-offset:2px}
a{color:var(--vg-accent,#0b57d0)}
.row{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin-top:10px}
.msg{margin:8px 0 0;font-size:.95em}
.msg:empty{display:none}
.error{color:var(--vg-error,#b3261e)}
.ok{color:var(--vg-success,#146c2e)}
.box{border:1px solid var(--vg-border,#8a8f98);border-left:4px solid var(--vg-warning,#8a5a00);border-radius:8px;padding:10px 12px;margin-top:12px;background:var(--vg-box-bg,#fffaf0)}
.timeline{list-style:none;margin:0;padding:0;font-size:.93em}
.timeline li{display:flex;gap:10px;padding:4px 0;border-bottom:1px solid var(--vg-rule,#e3e5e8)}
.timeline time{color:var(--vg-muted,#4d5158);font-variant-numeric:tabular-nums;flex:none}
.timeline .failed{color:var(--vg-error,#b3261e)}
.timeline .delivered{color:var(--vg-success,#146c2e)}
.cause{border-top:1px solid var(--vg-rule,#e3e5e8);padding-top:6px}
.cause ul{margin:4px 0 8px;padding-inline-start:20px}
details{margin-top:16px}
.wait{font-variant-numeric:tabular-nums;white-space:nowrap}
summary{cursor:pointer;color:var(--vg-accent,#0b57d0);min-height:32px}
.qr{display:block;width:160px;height:160px;margin-top:8px;background:#fff}
.done{text-align:center;padding:12px 0}
.done .mark{font-size:48px;line-height:1;color:var(--vg-success,#146c2e)}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
`
