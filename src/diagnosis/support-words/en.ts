/**
 * Support words in English: the diagnosis as staff read it. Written for a person: the cause in a
 * sentence or two, waits as durations ("in 3 min 52 sec"), settings by their config names; record
 * ids, provider message ids and exact times stay in the evidence.
 */
import type { SupportWordsCatalog } from './catalog.js'

const PROVIDER = '{provider_known, select, yes {provider {provider}} other {the provider}}'
const LOOK_UP = `Look the message up in the logs of ${PROVIDER} by its provider message id (in the evidence)`

export const supportEn = {
  causes: {
    number_mistyped: {
      title: 'The number looks mistyped',
      explanation:
        'The phone analysis of "{input}" says {reason}.|The person most likely meant {e164}.|Starts to this number are refused with PHONE_NUMBER_INVALID, so nothing was sent.',
      actions: [
        'Confirm {e164} with the person and start the verification with it',
        'Read the number back to the person in international format',
        'If your form collects national numbers, pass default_country',
      ],
    },
    number_not_sms_capable: {
      title: "This number can't receive text messages",
      explanation:
        'The phone analysis says the number type is {type}, which cannot receive text messages{voice, select, yes { but can take a voice call} other {}}.|SMS starts are refused with PHONE_NUMBER_NOT_SMS_CAPABLE.',
      actions: [
        '{voice, select, yes {Offer the call channel (allow "call" on the service and add it to fallback_channels)} other {}}',
        'Ask for a mobile number',
      ],
      situations: {
        carrier: {
          title: "The carrier says this number can't receive text messages",
          explanation:
            'The carrier says the number cannot take SMS: {where} refused the text as not_mobile ({raw}).',
        },
        lookup: {
          title: "This number can't receive texts, so it got a call",
          explanation:
            'This number is a {type} per the carrier lookup ({source}{carrier_known, select, yes {, carrier {carrier}} other {}}), so the {from} was re-routed to a {to} before anything was sent.',
          actions: [
            'Nothing to fix: the call carries the same code',
            'Ask for a mobile number if the person prefers texts',
          ],
        },
      },
    },
    voip_number: {
      title: 'This is an internet (VoIP) number',
      explanation:
        'The phone analysis says this is a VoIP number. Many carriers and providers filter application-to-person SMS to VoIP ranges.',
      actions: [
        "Check the provider's logs for this number",
        'Offer a voice call, or ask for a mobile number if your policy refuses VoIP',
      ],
    },
    country_not_enabled: {
      title: 'Codes to this country are switched off',
      explanation:
        'Country {country} is {list, select, blocked {in geo.blockedCountries} other {not in geo.allowedCountries}}, so starts are refused with COUNTRY_NOT_ALLOWED before anything is sent.',
      actions: [
        'If you serve {country_name}, {list, select, blocked {remove it from geo.blockedCountries} other {add it to geo.allowedCountries}}',
      ],
      situations: {
        routes: {
          title: 'Nothing is set up to send to this country',
          explanation:
            'No route in routing.routes carries {channel} to {country} (routes exist for other countries), so the message is given up with reason no_route.',
          actions: ['Add a route for {country} (countries: ["{country}"] or ["*"]) in routing.routes'],
        },
        provider: {
          title: 'The provider refused this country',
          explanation: 'A provider refused the destination country: {where} answered geo_blocked ({raw}).',
          actions: [
            `Enable {country_known, select, yes {{country}} other {the country}} in the geo permissions of ${PROVIDER}`,
            'Or add a route through another provider for {country_known, select, yes {{country}} other {the country}}',
          ],
        },
      },
    },
    rate_limited: {
      title:
        "{limit, select, sends_per_destination {Too many codes sent to this number} checks_per_destination {Too many codes tried for this number} resend_cooldown {A new code was asked for too soon} starts_per_ip {Too many attempts from the person's network} starts_per_prefix {Too many attempts to numbers like this one} fraud_guard {The fraud guard is holding back this number} starts_per_service {The service is sending too many codes right now} global_sends {The server is sending too many codes right now} other {A sending limit is holding back this number}}",
      explanation: 'Limit {limit} refuses requests for another {wait}.|Counters: {counters}.',
      actions: [
        'The limit lifts by itself in {wait}',
        "{limit, select, fraud_guard {The fraud guard saw codes sent to this number's range, country or network go unentered far below their usual conversion (SMS pumping); the event shows the figures. If the traffic is genuine, lift the block on the console's Fraud guard page with a reason, or safe-list the number} starts_per_prefix {Many starts to one number range look like SMS pumping: check for abuse before lifting anything} resend_cooldown {The cooldown grows with each resend (limits.resendCooldownSeconds)} starts_per_ip {It counts every start from the person's network; raise limits.startsPerIp if many genuine people share that network} starts_per_service {It counts every start of the service; raise limits.startsPerService if the traffic is legitimate} global_sends {It counts every send of the server; raise limits.globalSends if the traffic is legitimate} other {If the person is genuine, use Lift limits on the person page}}",
      ],
    },
    max_sends_reached: {
      title: 'Every resend is used up',
      explanation:
        'The code was sent {sends} of {max_sends} times; further resends are refused with MAX_SENDS_REACHED until the verification expires in {wait}.',
      actions: [
        'Find out why the sends did not arrive (see the other causes)',
        'The service setting max_sends controls this',
      ],
    },
    max_attempts_reached: {
      title: 'Too many wrong codes entered',
      explanation:
        '{checks} of {max_checks} checks used.|{failed, select, yes {The verification failed{ago_known, select, yes { {ago} ago} other {}}} other {It refuses further checks}} (MAX_CHECK_ATTEMPTS_REACHED).',
      actions: [
        'Start a new verification',
        'Many fast wrong codes can mean guessing: compare the client IP of the created event',
      ],
    },
    opted_out: {
      title: 'The person opted out of messages from this sender',
      explanation:
        'The recipient opted out of {sender_known, select, yes {sender "{sender}"} other {this sender}} and the provider enforces it: {where} refused with opted_out ({raw}).',
      actions: [
        'Ask the person to text START or UNSTOP to {sender_known, select, yes {"{sender}"} other {the sender}}',
        'Offer a voice call, or send from another sender where that is allowed',
      ],
    },
    unknown_subscriber: {
      title: 'The carrier says this number is not in service',
      explanation:
        'The carrier reported {outcome} on {where} ({raw}). This is final for the destination: no other route or channel is tried.',
      actions: [
        'Confirm the number with the person',
        'Recently ported or deactivated numbers report this; a second provider can confirm',
      ],
    },
    carrier_filtered: {
      title: 'The carrier blocked the {channel_known, select, yes {{channel}} other {message}}',
      explanation:
        'The carrier filtered the message on {where}{sender_known, select, yes { with sender "{sender}"} other {}} ({raw}).',
      actions: [
        '{sender_known, select, yes {Register sender "{sender}" with the destination carriers, or send from a registered number} other {}}',
        'Add a second route{country_known, select, yes { for {country}} other {}} so failover re-sends through another provider',
        'Keep the message template free of links and URL shorteners',
      ],
    },
    handset_unreachable: {
      title: 'The phone is off or out of coverage',
      explanation:
        'The carrier says the handset is off or out of coverage (absent subscriber) on {where} ({raw}).',
      actions: [
        'This is usually temporary: resend once the handset is back on the network',
        'Offer a voice call as an alternative',
      ],
    },
    provider_outage: {
      title: 'The message provider is failing',
      explanation:
        'No route accepted the message: the last submit, on {where}, failed with {outcome} ({raw}).|Automatic retry at {retry_at}, in {wait}.|Route {route}: circuit {state}, {failure_rate}% of the last {samples} submits failed.',
      actions: [
        `Check the status and credentials of ${PROVIDER}`,
        'Add a second provider route so failover can route around outages',
      ],
    },
    provider_outage_rerouted: {
      title: 'A provider failed and another one took over',
      explanation:
        'The submit on {from} failed with {outcome} ({raw}); failover handed the message to {to} {ago} ago.',
      actions: [
        'Nothing to do for this verification',
        `If failures on {route_known, select, yes {{route}} other {that route}} continue, check ${PROVIDER} (its circuit opens by itself)`,
      ],
    },
    no_route: {
      title: 'Nothing is set up to send this kind of message',
      explanation:
        'No route serves {channel}{country_known, select, yes { to {country}} other {}}, so the message was given up with reason no_route.',
      actions: ['Configure a provider and a route for {channel} (providers, routing.routes)'],
    },
    spend_cap_reached: {
      title: "The service's daily spending limit was reached",
      explanation:
        "The service's daily spend cap (routing.spendCapPerServicePerDay) was reached, so the message was given up with reason spend_cap.",
      actions: [
        'Raise routing.spendCapPerServicePerDay if the traffic is legitimate',
        'Check for SMS pumping (many starts to one number range)',
      ],
    },
    delivery_failed: {
      title: 'The message was not delivered',
      explanation: 'Delivery was not confirmed on {where} ({raw}).',
      actions: [LOOK_UP, 'Add another route so failover can re-send'],
      situations: {
        never_confirmed: {
          title: 'Delivery was never confirmed',
          explanation:
            'The message was handed to {where}{ago_known, select, yes { {ago} ago} other {}}, and no receipt came before the verification ended.',
          actions: [LOOK_UP],
        },
      },
    },
    sent_by_other_channel: {
      title: 'The code went by another channel',
      explanation:
        "Every {from} route failed (last reason {reason}), so the service's fallback_channels moved the same code to the {to} channel {ago} ago.",
      actions: ['See the failures of the first channel for why it could not deliver'],
    },
    delivered_not_entered: {
      title: 'Delivered, but the code was not entered',
      explanation:
        'The carrier confirmed delivery {ago} ago on {where}{sender_known, select, yes {, sender "{sender}"} other {}} ({raw}); no code has been checked since.',
      actions: [
        'The code reached the handset: ask the person to look in spam or blocked folders and on other devices{sender_known, select, yes { for "{sender}"} other {}}',
        'If the sender name looks unfamiliar to people, consider a brand name as sender ID',
      ],
    },
    wrong_code: {
      title: 'A wrong code was entered',
      explanation:
        '{failed, plural, one {# failed check, {ago} ago} other {# failed checks, the last one {ago} ago}}.|{checks} of {max_checks} checks used.',
      actions: [
        'Codes of earlier verifications stop working: make sure the person enters the latest one',
        'Many wrong codes in a short time can mean guessing',
      ],
    },
    delivery_delayed: {
      title: 'The message is slow to arrive',
      explanation:
        'Handed to {where} {ago} ago; no final receipt yet{pending, plural, =0 {} one { (# pending receipt)} other { (# pending receipts)}}.|Receipt latency p50 on this route: {measured, select, yes {{p50} ms} other {not measured (default {p50} ms)}}{state_known, select, yes {; circuit {state}} other {}}.|{timeout_known, select, yes {The receipt timeout ({timeout})} other {The receipt timeout}} moves it to the next route in {deadline}.',
      actions: [
        'Wait for the receipt; failover re-sends on the next route, if there is one, in {deadline}',
        `If it stays pending, look the message up in the logs of ${PROVIDER} by its provider message id (in the evidence)`,
      ],
    },
    not_sent_yet: {
      title: 'The message has not been sent yet',
      explanation:
        'The message has been {status, select, queued {queued} other {sending}} for {ago} ({claims, plural, one {# claim} other {# claims}}) and is not handed to a provider yet.|It is due in {due}.',
      actions: [
        'Check that a worker (role worker or both) is running and draining the outbox',
        'Check the outbox backlog and provider latency',
      ],
    },
    expired: {
      title: 'The code expired',
      explanation:
        'The code was valid for {lifetime} and expired {ago} ago.|{swept, select, no {The sweeper has not recorded the expiry yet.} other {}}',
      actions: ['Start a new verification; see the other causes for why the code was not used in time'],
    },
    canceled: {
      title: 'The app canceled the verification',
      explanation: 'The app canceled it through the API{ago_known, select, yes { {ago} ago} other {}}.',
      actions: ['Start a new verification if the person still needs one'],
    },
  },
  events: {
    created: 'verification created for {channel}{country_known, select, yes { ({country})} other {}}',
    send_requested: 'send #{send_number} requested',
    handed_to_provider: 'handed to {on} (hop {hop}, {channel})',
    submit_failed: 'submit to {on} failed: {outcome} ({raw})',
    delivery_pending: 'receipt from {on}: still pending ({raw})',
    delivered:
      'delivered receipt from {on} ({raw}){since_known, select, yes {, {since} after hand-over} other {}}',
    delivery_failed: 'failed receipt from {on}: {outcome} ({raw})',
    receipt_timeout: 'no receipt from {on} within {waited}',
    channel_fallback: 'channel fallback {from} -> {to} ({reason})',
    gave_up:
      'message given up: {reason}{hops_known, select, yes { after {hops, plural, one {# hop} other {# hops}}} other {}}',
    check_failed: 'wrong code entered (attempt {attempt}, {left} left)',
    approved: 'code accepted (attempt {attempt})',
    expired: 'verification expired',
    canceled: 'verification canceled through the API',
    max_attempts_reached: 'maximum check attempts reached ({attempts})',
    limit_hit: 'limit {limit} hit{retry_known, select, yes {; refused for {retry}} other {}}',
  },
  evidence: {
    phoneProblem: 'phone analysis: {reason}: {message}',
    phoneType: 'phone analysis: type {type}, SMS {sms}, voice {voice}',
    geo: 'geo permissions exclude {country}',
    noRoute: 'no {channel} route covers {country}',
    counter: 'counter {name}: {remaining}/{points} left in a {window} window; resets in {reset}',
    expiresPassed: 'its lifetime ended {ago} ago',
  },
  phrases: {
    where:
      '{route_known, select, yes {route {route}} other {an unknown route}}{provider_known, select, yes { (provider {provider})} other {}}',
    provider: PROVIDER,
    on: '{route_known, select, yes {{route}} other {an unknown route}}{provider_known, select, yes { (provider {provider}{sender_known, select, yes {, sender {sender}} other {}})} other {{sender_known, select, yes { (sender {sender})} other {}}}}',
    raw: '{codes_known, select, yes {raw {codes}} other {no raw code}}{text_known, select, yes {: "{text}"} other {}}',
    counter: '{name} {remaining}/{points} left',
    clock: '{time} UTC',
  },
  channels: { sms: 'SMS', call: 'call', whatsapp: 'WhatsApp', email: 'email', telegram: 'Telegram' },
  summary: {
    verification:
      '{id}: {channel} to {destination}{country_known, select, yes { ({country})} other {}}, {status}, created {created} ago{phase, select, pending {, expires in {expires}} expired {, expired {expires} ago} other {}}.',
    counts: '{sends} of {max_sends} sends and {checks} of {max_checks} checks used.',
    number:
      'Number "{input}"{e164_known, select, yes { reads as {e164}} other {}}{type_known, select, yes { ({type}{country_known, select, yes {, {country}} other {}})} other {}}; no verification.',
    messages: 'Messages: {list}.',
    message:
      '#{n} {status}{route_known, select, yes { on {route}} other {}}{outcome_known, select, yes { ({outcome})} other {}}, {hops, plural, one {# hop} other {# hops}}',
    top: 'Most likely {id} ({likelihood}): {explanation}',
    also: 'Also: {list}.',
    cause: '{id} ({likelihood})',
    none: 'No problem found.',
  },
} as const satisfies SupportWordsCatalog
