/**
 * English user words: the one English text of the diagnosis, and the reference catalog every other
 * language translates (same cause keys and placeholders). The `situations` are the finer words the
 * diagnosis rules ask for; so far only English has them.
 */
import type { UserWordsCatalog } from '../catalog.js'

/** What is left once a limit lifts; `sends` is the codes this verification may still send. */
const AFTER_THAT =
  'After that, {sends, plural, =0 {no more codes can be sent for this sign-in} one {you can ask for # more code} other {you can ask for # more codes}}.'
const MEANWHILE =
  '{meanwhile, select, yes {Meanwhile, check your messages: the code we already sent still works} other {}}'
const REROUTED = 'Our first messaging provider had a problem, so we sent your code through another one.'

export const en = {
  causes: {
    number_mistyped: {
      title: 'The number needs a fix',
      explanation: '{problem}',
      actions: ['Use {number} instead', 'Check the number and the country code, then ask for a new code'],
      situations: {
        typed: {
          title:
            "{reason, select, empty {No phone number was entered} not_a_number {That doesn't look like a phone number} missing_country_code {The number needs its country code} invalid_country_code {The country code doesn't look right} too_short {The number is too short} too_long {The number is too long} trunk_prefix_after_country_code {There's an extra 0 after the country code} other {That number doesn't exist as written}}",
          actions: [
            'Use {number} instead',
            '{number_known, select, yes {Then ask for a new code} other {Type the number again, starting with + and your country code (for example +44 for the United Kingdom), then ask for a new code}}',
          ],
        },
      },
    },
    number_not_sms_capable: {
      title: "This number can't receive texts",
      explanation: 'It looks like a landline or a number that only takes calls.',
      actions: ['Choose a phone call instead', 'Or use a mobile number'],
      situations: {
        number_type: {
          title:
            "{type, select, fixed_line {This looks like a landline} toll_free {This is a freephone number} other {This number can't receive text messages}}",
          explanation:
            "This number can't receive text messages, so a texted code can't reach it.|{voice, select, yes {We can call it and read the code out instead.} other {}}",
          actions: [
            '{voice, select, yes {Choose to get the code by phone call} other {Use a mobile number instead}}',
            '{voice, select, yes {Or use a mobile number instead} other {}}',
          ],
        },
      },
    },
    voip_number: {
      title: 'This looks like an internet phone number',
      explanation: "Numbers from internet calling apps sometimes don't receive verification texts.",
      actions: [
        'Check the app that gives you this number for new messages',
        'If nothing arrives, use a mobile number from a phone network, or ask for a call',
      ],
    },
    country_not_enabled: {
      title: "Codes can't be sent to this country",
      explanation: "This app can't send codes to numbers in this country at the moment.",
      actions: [
        'Use a number from another country if you have one',
        "Contact the app's support team; they may be able to turn your country on",
      ],
      situations: {
        named: { explanation: "This app can't send codes to numbers in {country} at the moment." },
      },
    },
    rate_limited: {
      title: 'Too many code requests',
      explanation: 'To protect your account, new codes are paused.|You can ask again in {wait}.',
      actions: ['Wait {wait}, then ask again', 'Use a code you already received, if you have one'],
      situations: {
        resend_cooldown: {
          title: 'A code was sent a moment ago',
          explanation: `You can ask for another code in {wait}. The one we already sent still works, so check your messages first.|${AFTER_THAT}`,
          actions: [
            'Check your messages for the code we just sent',
            "If it hasn't arrived, ask for a new code in {wait}",
          ],
        },
        checks_per_destination: {
          title: 'Too many codes were tried',
          explanation:
            'For your security, no more codes can be tried for this number for {wait}.|After that, {sends, plural, =0 {no more codes can be sent for this sign-in} one {you can ask for # more code} other {you can ask for # more codes}}, and you have {attempts, plural, one {# try} other {# tries}} left to enter it.',
          actions: ['Wait {wait}, then enter the code from the newest message'],
        },
        starts_per_ip: {
          title: 'Too many sign-in attempts from your network',
          explanation: `For security, new codes can't be requested from your network for {wait}.|${AFTER_THAT}`,
          actions: ['Wait {wait}, then ask for a new code', MEANWHILE],
        },
        starts_per_prefix: {
          title: 'Codes to numbers like yours are paused',
          explanation: `For security, sending codes to this range of numbers is paused for {wait}.|${AFTER_THAT}`,
          actions: ['Wait {wait}, then ask for a new code'],
        },
        busy: {
          title: "We're getting too many requests right now",
          explanation: `We're handling a lot of requests, so new codes are paused for {wait}.|${AFTER_THAT}`,
          actions: ['Wait {wait}, then ask for a new code', MEANWHILE],
        },
        sends_per_destination: {
          title: 'Too many codes were requested',
          explanation: `For your security, no more codes can be sent to this number for {wait}.|${AFTER_THAT}`,
          actions: ['Wait {wait}, then ask for a new code', MEANWHILE],
        },
      },
    },
    max_sends_reached: {
      title: 'All the codes for this sign-in have been sent',
      explanation: 'No more codes can be sent for this attempt.',
      actions: ['Enter a code you already received', 'Or start again later'],
      situations: {
        until_expiry: {
          explanation:
            "We've already sent this code as many times as allowed. Every message carried the same code, and it works until it expires in {wait}.",
          actions: [
            'Look for any message we already sent: the code in it still works',
            'If none arrived, start again in {wait}, when this code expires',
          ],
        },
      },
    },
    max_attempts_reached: {
      title: 'Too many wrong codes were entered',
      explanation: 'For your security, this code stopped working after too many wrong tries.',
      actions: ['Ask for a new code', 'Enter the code from the newest message, carefully'],
    },
    opted_out: {
      title: 'Our texts to this number were stopped',
      explanation: 'This number once replied STOP to our texts, so the network blocks them.',
      actions: ['Text START to {sender}, then ask for a new code', 'Or choose a phone call'],
      situations: {
        stopped: {
          explanation:
            'This number has opted out of messages from {sender_known, select, yes {"{sender}"} other {our sender}} (someone replied STOP), so the network won\'t deliver our texts.',
          actions: [
            '{sender_known, select, yes {Text START (or UNSTOP) to "{sender}"} other {Reply START (or UNSTOP) to one of our earlier messages}}',
            'Then ask for a new code',
            'Or choose to get the code by phone call',
          ],
        },
      },
    },
    unknown_subscriber: {
      title: "The network says this number isn't in use",
      explanation: "The mobile network told us this number isn't connected to a phone right now.",
      actions: [
        'Check that the number is right',
        "If you've changed number or network recently, use the number you have now",
      ],
    },
    carrier_filtered: {
      title: 'Your mobile network blocked our text',
      explanation:
        'Your mobile network stopped our message, most likely as suspected spam.|It comes from "{sender}".',
      actions: [
        'Make sure messages from "{sender}" aren\'t blocked on your phone (blocked senders, spam filters)',
        'If your network offers a spam or content filter, turn it off for a moment or allow our messages',
        'Ask for a new code, or choose a phone call',
      ],
    },
    handset_unreachable: {
      title: "Your phone couldn't be reached",
      explanation:
        "The mobile network couldn't reach your phone. It may be switched off, in airplane mode, or out of signal.",
      actions: [
        "Turn your phone on, turn airplane mode off and check you have signal (and roaming, if you're abroad)",
        'Then ask for a new code',
      ],
    },
    provider_outage: {
      title: 'Our text service is having trouble',
      explanation: 'Our messaging provider is down. We are retrying automatically.',
      actions: ['Wait a moment: we will retry', 'Or choose a phone call'],
      situations: {
        retrying: {
          explanation:
            "Our messaging provider is having a problem, so your code hasn't gone out yet. We'll try again automatically in {wait}.",
          actions: [
            "Wait a moment; we'll keep trying",
            'If nothing arrives in a few minutes, ask for a new code or a call',
          ],
        },
        gave_up: {
          explanation: "Our messaging provider had a problem, so your code couldn't be sent.",
          actions: ['Ask for a new code in a few minutes', 'Or choose a phone call'],
        },
      },
    },
    provider_outage_rerouted: {
      title: "We're sending your code another way",
      explanation: 'Our first messaging provider is down, so your code went out through another one.',
      actions: ['Wait a moment for the code', 'Keep your phone on, with signal'],
      situations: {
        delivered: {
          title: 'We sent your code another way',
          explanation: `${REROUTED}|It has been delivered.`,
          actions: ['Check your messages for the code'],
        },
        on_its_way: {
          title: 'We sent your code another way',
          explanation: `${REROUTED}|It should arrive shortly.`,
          actions: ['Wait a little: the code is on its way'],
        },
        ended: {
          title: 'We sent your code another way',
          explanation: REROUTED,
          actions: ['Ask for a new code, or choose a phone call'],
        },
      },
    },
    no_route: {
      title: "We couldn't send your code",
      explanation: 'We have no way to send codes to this number this way.',
      actions: ['Choose another way to get the code', "Or contact the service's support"],
      situations: {
        channel: {
          explanation: "This app isn't set up to send codes by {channel} right now.",
          actions: [
            'Try another way to get the code if the app offers one (a call or an email)',
            "Contact the app's support team",
          ],
        },
      },
    },
    spend_cap_reached: {
      title: "We've paused sending codes for now",
      explanation: "This app has reached its sending limit for today, so your code wasn't sent.",
      actions: ['Try again later', "Contact the app's support team if it's urgent"],
      situations: {
        paused: { actions: ['Try again in {wait}', "Contact the app's support team if it's urgent"] },
      },
    },
    delivery_failed: {
      title: "Your code couldn't be delivered",
      explanation: "The network couldn't deliver the message.",
      actions: ['Ask for a new code', 'Or choose a phone call'],
      situations: {
        unconfirmed: { explanation: "We couldn't confirm that our {channel} reached your phone." },
        never_confirmed: {
          title: 'Your code may not have arrived',
          explanation: 'We never got confirmation that our {channel} reached your phone.',
        },
      },
    },
    sent_by_other_channel: {
      title: 'We sent your code another way',
      explanation: "Our text couldn't get through, so the same code went out by {channel}.",
      actions: ['Look for the code by {channel}'],
      situations: {
        call: {
          title: 'We called you with the code instead',
          explanation:
            "Our text couldn't get through, so we're calling your phone to read out the same code.",
          actions: [
            'Answer the call from us and listen for the code',
            'If you missed it, check your voicemail',
          ],
        },
        message: {
          title: 'We sent your code by {channel} instead',
          explanation: "Our text couldn't get through, so we sent the same code by {channel}.",
          actions: ['Look for our {channel} with the code'],
        },
      },
    },
    delivered_not_entered: {
      title: 'Your code was delivered',
      explanation: 'The network says the code reached your phone.',
      actions: [
        'Check your messages, including spam and unknown senders',
        'Look for a message from {sender}',
        'Check other devices that use this number',
      ],
      situations: {
        call: {
          title: 'We called you with the code',
          explanation:
            "Our call reached your phone {ago} ago{sender_known, select, yes { from {sender}} other {}}, but the code hasn't been entered yet.",
          actions: [
            'Check your missed calls and voicemail for our call',
            'Ask for a new code if you missed it',
          ],
        },
        message: {
          explanation:
            'The mobile network confirmed our {channel} reached your phone {ago} ago{sender_known, select, yes {, from "{sender}"} other {}}, but the code hasn\'t been entered yet.',
          actions: [
            '{sender_known, select, yes {Look for a message from "{sender}"} other {Look through your newest messages for the code}}',
            'Check your spam or blocked messages (iPhone: Unknown Senders or Junk; Android: Spam & blocked)',
            'If this number is also used on another device (a tablet, a watch, a second SIM), check there too',
            'Enter the code from the newest message',
          ],
        },
      },
    },
    wrong_code: {
      title: "The code entered didn't match",
      explanation: 'Tries left: {attempts}.',
      actions: ['Enter the code from the newest message', 'Or ask for a new code'],
      situations: {
        checked: {
          explanation:
            "The code that was entered doesn't match the one we sent.|You have {attempts, plural, one {# try} other {# tries}} left.",
          actions: [
            'Enter the code from the newest message we sent (every message for this sign-in has the same code)',
            'Check for swapped digits',
            'If you started more than one sign-in, only the latest code works',
          ],
        },
      },
    },
    delivery_delayed: {
      title: 'Your code is on its way',
      explanation: 'The network has your code but has not delivered it yet.|Please wait about {wait} more.',
      actions: ['Wait {wait}', 'Keep your phone on, with signal'],
      situations: {
        handed_over: {
          explanation:
            'We handed your code to the mobile network {ago} ago. Codes usually arrive within {typical}.|Please wait about {wait} more.',
          actions: [
            'Wait about {wait}',
            'Keep your phone on, with signal',
            'Look for a message from "{sender}"',
            "{resend, select, none {If it never arrives, no more codes can be sent for this sign-in; start again once it expires} later {If it still hasn't arrived, you can ask for a new code in {resend_in}} other {If it still hasn't arrived, ask for a new code}}",
          ],
        },
      },
    },
    not_sent_yet: {
      title: 'Your code is being sent',
      explanation: "We're sending your code now. It should arrive within a minute.",
      actions: ['Wait a moment', 'Keep your phone on, with signal'],
    },
    expired: {
      title: 'The code has expired',
      explanation: 'Codes only work for a few minutes.',
      actions: ['Ask for a new code', 'Enter it soon after it arrives'],
      situations: {
        lifetime: {
          explanation:
            'Codes only work for {minutes, plural, one {# minute} other {# minutes}}, and this one expired {ago} ago.',
        },
      },
    },
    canceled: {
      title: 'This code request was canceled',
      explanation: 'The app canceled this code request, so its code no longer works.',
      actions: ['Start again to get a new code'],
    },
  },
  phone: {
    empty: 'Enter your phone number.',
    not_a_number: "That doesn't look like a phone number.",
    missing_country_code: 'Add your country code, starting with + (for example +44).',
    invalid_country_code: "The country code doesn't look right.",
    too_short: 'The number is too short.',
    too_long: 'The number is too long.',
    trunk_prefix_after_country_code: 'Leave out the 0 after the country code.',
    invalid_number: "That number doesn't exist as written.",
    not_sms_capable: "This number can't receive texts. Choose a phone call instead.",
  },
  didYouMean: 'Did you mean {number}?',
  channels: {
    sms: 'text message',
    call: 'phone call',
    whatsapp: 'WhatsApp message',
    email: 'email',
    telegram: 'Telegram message',
  },
  summaries: {
    approved: 'Your code was accepted. There is nothing more to do.',
    numberFine: 'This number looks right and can receive codes.',
    noProblem: "We couldn't find a problem. If the code hasn't arrived, ask for a new one.",
  },
} as const satisfies UserWordsCatalog
