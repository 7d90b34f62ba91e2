/**
 * @module The delivery timeline: one line per step (queued, handed to the carrier with the sender
 * to look for, delivered, failed with the reason, rerouted, channel switched) with its time. Lines
 * are only ever appended, so the live region announces each new step once.
 */
import { h } from './dom.js'
import type { StringKey, Translate } from './i18n.js'
import type { TimelineEntry } from './types.js'

export class Timeline {
  readonly element: HTMLOListElement
  private shown: string[] = []
  private readonly time: Intl.DateTimeFormat

  constructor(
    private readonly t: Translate,
    locale: string,
  ) {
    this.element = h('ol', { class: 'timeline', 'aria-live': 'polite', 'aria-relevant': 'additions' })
    this.time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' })
  }

  update(entries: readonly TimelineEntry[]): void {
    const keys = entries.map((e) => `${e.step}|${e.at}|${e.channel ?? ''}`)
    // A different verification (or a rewritten history): start the list again.
    if (keys.length < this.shown.length || this.shown.some((k, i) => keys[i] !== k)) {
      this.element.replaceChildren()
      this.shown = []
    }
    for (let i = this.shown.length; i < entries.length; i++) this.element.append(this.line(entries[i]!))
    this.shown = keys
  }

  private line(e: TimelineEntry): HTMLLIElement {
    const t = this.t
    const channel = e.channel ? t(`ch_${e.channel}` as StringKey) : ''
    let text: string
    switch (e.step) {
      case 'queued':
        text = t('s_queued', { channel })
        break
      case 'handed_to_carrier':
        // A sender ID is what to look for in a message list; a call's caller ID is not.
        text = e.sender && e.channel !== 'call' ? t('s_handedFrom', { sender: e.sender }) : t('s_handed')
        break
      case 'delivered':
        text = t('s_delivered', { channel })
        break
      case 'failed':
        text = t('s_failed', { reason: e.reason ?? '' })
        break
      case 'rerouted':
        text = t('s_rerouted')
        break
      case 'channel_switched':
        // The failure that made the switch, when the server names it.
        text = e.reason
          ? `${t('s_failed', { reason: e.reason })} ${t('s_switched', { channel })}`
          : t('s_switched', { channel })
        break
      default:
        text = String(e.step)
    }
    const at = new Date(e.at)
    return h(
      'li',
      { class: e.step, 'data-step': e.step },
      h('time', { datetime: e.at }, Number.isNaN(at.getTime()) ? '' : this.time.format(at)),
      h('span', {}, text),
    )
  }
}
