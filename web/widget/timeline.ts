/**
 * @module The delivery timeline: one line per step (queued, handed to the carrier with the sender
 * to look for, delivered, failed with the reason, rerouted, channel switched) with its time. Lines
 * are only ever appended. `describe` gives the newest step as one line for the code view's live
 * status, which is what screen readers announce (the full list sits behind "Didn't get it?").
 */
import { h } from './dom.js'
import { ltr, timeOfDay, wordsWait } from './format.js'
import type { StringKey, Translate, TranslateNodes } from './i18n.js'
import type { TimelineEntry } from './types.js'

export class Timeline {
  readonly element: HTMLOListElement
  private shown: string[] = []

  constructor(
    private readonly t: Translate,
    private readonly tn: TranslateNodes,
    private readonly locale: string,
  ) {
    this.element = h('ol', { class: 'timeline' })
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

  /** What the step says, in the person's language; numbers and sender IDs isolated left-to-right. */
  describe(e: TimelineEntry): DocumentFragment {
    const { t, tn } = this
    const channel = e.channel ? t(`ch_${e.channel}` as StringKey) : ''
    switch (e.step) {
      case 'queued':
        return tn('s_queued', { channel })
      case 'handed_to_carrier':
        // A sender ID is what to look for in a message list; a call's caller ID is not.
        return e.sender && e.channel !== 'call'
          ? tn('s_handedFrom', { sender: ltr(e.sender) })
          : tn('s_handed')
      case 'delivered':
        // A late delivery says how late, so "it came after all" matches what the person saw.
        return e.late && e.after_s !== undefined
          ? tn('s_deliveredLate', { channel, after: wordsWait(e.after_s, this.locale) })
          : tn('s_delivered', { channel })
      case 'failed':
        return tn('s_failed', { reason: e.reason ?? '' })
      case 'rerouted':
        return tn('s_rerouted')
      case 'unconfirmed':
        return tn('s_unconfirmed')
      case 'retrying': {
        const at = e.retry_at ? new Date(e.retry_at) : undefined
        const time = at && !Number.isNaN(at.getTime()) ? timeOfDay(at, this.locale) : ''
        return tn('s_retrying', { channel, time })
      }
      case 'channel_switched': {
        // The failure that made the switch, when the server names it.
        const out = document.createDocumentFragment()
        if (e.reason) out.append(tn('s_failed', { reason: e.reason }), ' ')
        out.append(tn('s_switched', { channel }))
        return out
      }
      default: {
        const out = document.createDocumentFragment()
        out.append(String(e.step))
        return out
      }
    }
  }

  /** The step's time of day, or '' when the server sent none. */
  time(e: TimelineEntry): string {
    const at = new Date(e.at)
    return Number.isNaN(at.getTime()) ? '' : timeOfDay(at, this.locale)
  }

  private line(e: TimelineEntry): HTMLLIElement {
    return h(
      'li',
      { class: e.step, 'data-step': e.step },
      h('time', { datetime: e.at }, this.time(e)),
      h('span', {}, this.describe(e)),
    )
  }
}
