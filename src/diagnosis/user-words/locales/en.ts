/** English user words (the reference catalog; every other language has the same keys and placeholders). */
import type { UserWordsCatalog } from '../catalog.js'

export const en: UserWordsCatalog = {
  causes: {
    number_mistyped: {
      title: 'The number needs a fix',
      explanation: '{problem}',
      actions: ['Use {number} instead', 'Check the number and the country code, then ask for a new code'],
    },
    number_not_sms_capable: {
      title: "This number can't receive texts",
      explanation: 'It looks like a landline or a number that only takes calls.',
      actions: ['Choose a phone call instead', 'Or use a mobile number'],
    },
    voip_number: {
      title: 'This looks like an internet phone number',
      explanation: "Some internet phone services don't receive verification texts.",
      actions: ['Use a number from a mobile network', 'Or choose a phone call'],
    },
    country_not_enabled: {
      title: "Codes can't be sent to this country",
      explanation: "This service doesn't send codes to numbers in this country.",
      actions: ['Use a number from another country', "Or contact the service's support"],
    },
    rate_limited: {
      title: 'Too many code requests',
      explanation: 'To protect your account, new codes are paused.|You can ask again in {wait}.',
      actions: ['Wait {wait}, then ask again', 'Use a code you already received, if you have one'],
    },
    max_sends_reached: {
      title: 'All the codes for this sign-in have been sent',
      explanation: 'No more codes can be sent for this attempt.',
      actions: ['Enter a code you already received', 'Or start again later'],
    },
    max_attempts_reached: {
      title: 'Too many wrong codes were entered',
      explanation: 'This code can no longer be used.',
      actions: ['Ask for a new code', 'Enter the code from the newest message, carefully'],
    },
    opted_out: {
      title: 'Our texts to this number were stopped',
      explanation: 'This number once replied STOP to our texts, so the network blocks them.',
      actions: ['Text START to {sender}, then ask for a new code', 'Or choose a phone call'],
    },
    unknown_subscriber: {
      title: "The network says this number isn't in use",
      explanation: "The mobile network couldn't find this number.",
      actions: ['Check the number for typos', 'Or use another number'],
    },
    carrier_filtered: {
      title: 'Your mobile network blocked our text',
      explanation: "Your network's spam filter stopped the message.|It came from {sender}.",
      actions: [
        'Allow messages from {sender} in your phone or with your network',
        'Choose a phone call instead',
        'Ask for a new code',
      ],
    },
    handset_unreachable: {
      title: "Your phone couldn't be reached",
      explanation: 'The network says your phone is off or has no signal.',
      actions: ['Turn your phone on and check that it has signal', 'Then ask for a new code'],
    },
    provider_outage: {
      title: 'Our text service is having trouble',
      explanation: 'Our messaging provider is down. We are retrying automatically.',
      actions: ['Wait a moment: we will retry', 'Or choose a phone call'],
    },
    provider_outage_rerouted: {
      title: "We're sending your code another way",
      explanation: 'Our first messaging provider is down, so your code went out through another one.',
      actions: ['Wait a moment for the code', 'Keep your phone on, with signal'],
    },
    no_route: {
      title: "We couldn't send your code",
      explanation: 'We have no way to send codes to this number this way.',
      actions: ['Choose another way to get the code', "Or contact the service's support"],
    },
    spend_cap_reached: {
      title: "We've paused sending codes for now",
      explanation: 'This service has reached its sending limit for now.',
      actions: ['Try again later', "Or contact the service's support"],
    },
    delivery_failed: {
      title: "Your code couldn't be delivered",
      explanation: "The network couldn't deliver the message.",
      actions: ['Ask for a new code', 'Or choose a phone call'],
    },
    sent_by_other_channel: {
      title: 'We sent your code another way',
      explanation: "Our text couldn't get through, so the same code went out by {channel}.",
      actions: ['Look for the code by {channel}'],
    },
    delivered_not_entered: {
      title: 'Your code was delivered',
      explanation: 'The network says the code reached your phone.',
      actions: [
        'Check your messages, including spam and unknown senders',
        'Look for a message from {sender}',
        'Check other devices that use this number',
      ],
    },
    wrong_code: {
      title: "The code entered didn't match",
      explanation: 'Tries left: {attempts}.',
      actions: ['Enter the code from the newest message', 'Or ask for a new code'],
    },
    delivery_delayed: {
      title: 'Your code is on its way',
      explanation: 'The network has your code but has not delivered it yet.|Please wait about {wait} more.',
      actions: ['Wait {wait}', 'Keep your phone on, with signal'],
    },
    not_sent_yet: {
      title: 'Your code is being sent',
      explanation: 'Your code is queued and goes out in a moment.',
      actions: ['Wait a moment', 'Keep your phone on, with signal'],
    },
    expired: {
      title: 'The code has expired',
      explanation: 'Codes only work for a few minutes.',
      actions: ['Ask for a new code', 'Enter it soon after it arrives'],
    },
    canceled: {
      title: 'This code request was canceled',
      explanation: 'A newer request replaced it, or it was canceled.',
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
  channels: { sms: 'text message', call: 'phone call', whatsapp: 'WhatsApp', email: 'email' },
}
