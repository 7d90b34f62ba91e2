/**
 * @module The embeddable widget's entry: defines `<verigate-verify>` once. Load it with one script
 * tag (`<script type="module" src="https://verigate.example/assets/widget.js">`); see docs/widget.md.
 */
import { VerigateVerify } from './verigate-verify.js'

if (!customElements.get('verigate-verify')) customElements.define('verigate-verify', VerigateVerify)

export type { FactorContext } from './factor-context.js'
export { VerigateVerify }
