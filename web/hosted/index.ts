/**
 * @module hosted.js: the hosted page's own behaviour around the widget. The language switch
 * applies on change (its button is for browsers without scripts), and once the person is verified
 * the page says what comes next: back to the app (`data-return`, the server's signed redirect,
 * after a moment to read it) or "you can close this tab".
 */

const RETURN_DELAY_MS = 1500

function start(): void {
  const form = document.querySelector<HTMLFormElement>('form.lang')
  const select = form?.querySelector('select')
  if (form && select) {
    form.querySelector('button')?.setAttribute('hidden', '')
    select.addEventListener('change', () => form.requestSubmit())
  }

  const next = document.getElementById('vg-next')
  if (!next) return
  let done = false
  document.addEventListener('verigate:status', (e) => {
    const view = (e as CustomEvent<{ view?: string }>).detail?.view
    if (view !== 'approved' || done) return
    done = true
    const target = next.dataset.return
    next.textContent = (target ? next.dataset.returning : next.dataset.close) ?? ''
    next.hidden = false
    if (target) setTimeout(() => window.location.assign(target), RETURN_DELAY_MS)
  })
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true })
else start()
