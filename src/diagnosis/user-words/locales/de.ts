/** German user words. */
import type { UserWordsCatalog } from '../catalog.js'

export const de: UserWordsCatalog = {
  causes: {
    number_mistyped: {
      title: 'Die Nummer muss korrigiert werden',
      explanation: '{problem}',
      actions: ['{number} verwenden', 'Nummer und Ländervorwahl prüfen, dann einen neuen Code anfordern'],
    },
    number_not_sms_capable: {
      title: 'Diese Nummer kann keine SMS empfangen',
      explanation: 'Es scheint ein Festnetzanschluss oder eine reine Anrufnummer zu sein.',
      actions: ['Stattdessen einen Anruf wählen', 'Oder eine Mobilnummer verwenden'],
    },
    voip_number: {
      title: 'Das sieht nach einer Internet-Telefonnummer aus',
      explanation: 'Manche Internet-Telefondienste empfangen keine Bestätigungs-SMS.',
      actions: ['Eine Nummer eines Mobilfunknetzes verwenden', 'Oder einen Anruf wählen'],
    },
    country_not_enabled: {
      title: 'In dieses Land können keine Codes gesendet werden',
      explanation: 'Dieser Dienst sendet keine Codes an Nummern in diesem Land.',
      actions: ['Eine Nummer aus einem anderen Land verwenden', 'Oder den Support des Dienstes kontaktieren'],
    },
    rate_limited: {
      title: 'Zu viele Code-Anfragen',
      explanation: 'Zum Schutz Ihres Kontos sind neue Codes pausiert.|Sie können in {wait} erneut anfragen.',
      actions: [
        '{wait} warten, dann erneut anfragen',
        'Einen bereits erhaltenen Code verwenden, falls vorhanden',
      ],
    },
    max_sends_reached: {
      title: 'Alle Codes für diese Anmeldung wurden gesendet',
      explanation: 'Für diesen Versuch können keine weiteren Codes gesendet werden.',
      actions: ['Einen bereits erhaltenen Code eingeben', 'Oder später neu beginnen'],
    },
    max_attempts_reached: {
      title: 'Zu viele falsche Codes eingegeben',
      explanation: 'Dieser Code kann nicht mehr verwendet werden.',
      actions: ['Einen neuen Code anfordern', 'Den Code aus der neuesten Nachricht sorgfältig eingeben'],
    },
    opted_out: {
      title: 'Unsere SMS an diese Nummer wurden gestoppt',
      explanation:
        'Diese Nummer hat auf unsere Nachrichten mit STOP geantwortet, daher blockiert das Netz sie.',
      actions: ['START an {sender} senden, dann einen neuen Code anfordern', 'Oder einen Anruf wählen'],
    },
    unknown_subscriber: {
      title: 'Laut Netz ist diese Nummer nicht vergeben',
      explanation: 'Das Mobilfunknetz konnte diese Nummer nicht finden.',
      actions: ['Die Nummer auf Tippfehler prüfen', 'Oder eine andere Nummer verwenden'],
    },
    carrier_filtered: {
      title: 'Ihr Mobilfunkanbieter hat unsere SMS blockiert',
      explanation: 'Der Spamfilter Ihres Netzes hat die Nachricht gestoppt.|Sie kam von {sender}.',
      actions: [
        'Nachrichten von {sender} im Telefon oder beim Anbieter zulassen',
        'Stattdessen einen Anruf wählen',
        'Einen neuen Code anfordern',
      ],
    },
    handset_unreachable: {
      title: 'Ihr Telefon war nicht erreichbar',
      explanation: 'Laut Netz ist Ihr Telefon ausgeschaltet oder ohne Empfang.',
      actions: ['Telefon einschalten und Empfang prüfen', 'Dann einen neuen Code anfordern'],
    },
    provider_outage: {
      title: 'Unser SMS-Dienst hat Probleme',
      explanation: 'Unser Nachrichtenanbieter ist ausgefallen. Wir versuchen es automatisch erneut.',
      actions: ['Einen Moment warten: wir versuchen es erneut', 'Oder einen Anruf wählen'],
    },
    provider_outage_rerouted: {
      title: 'Wir senden Ihren Code auf anderem Weg',
      explanation: 'Unser erster Anbieter ist ausgefallen, daher ging Ihr Code über einen anderen raus.',
      actions: ['Einen Moment auf den Code warten', 'Telefon eingeschaltet und mit Empfang lassen'],
    },
    no_route: {
      title: 'Wir konnten Ihren Code nicht senden',
      explanation: 'Wir können auf diesem Weg keine Codes an diese Nummer senden.',
      actions: ['Einen anderen Weg für den Code wählen', 'Oder den Support des Dienstes kontaktieren'],
    },
    spend_cap_reached: {
      title: 'Der Versand von Codes ist vorerst pausiert',
      explanation: 'Dieser Dienst hat sein Versandlimit vorerst erreicht.',
      actions: ['Später erneut versuchen', 'Oder den Support des Dienstes kontaktieren'],
    },
    delivery_failed: {
      title: 'Ihr Code konnte nicht zugestellt werden',
      explanation: 'Das Netz konnte die Nachricht nicht zustellen.',
      actions: ['Einen neuen Code anfordern', 'Oder einen Anruf wählen'],
    },
    sent_by_other_channel: {
      title: 'Wir haben Ihren Code auf anderem Weg gesendet',
      explanation: 'Unsere SMS kam nicht durch, daher ging derselbe Code per {channel} raus.',
      actions: ['Nach dem Code per {channel} sehen'],
    },
    delivered_not_entered: {
      title: 'Ihr Code wurde zugestellt',
      explanation: 'Laut Netz hat der Code Ihr Telefon erreicht.',
      actions: [
        'Nachrichten prüfen, auch Spam und unbekannte Absender',
        'Nach einer Nachricht von {sender} suchen',
        'Andere Geräte mit dieser Nummer prüfen',
      ],
    },
    wrong_code: {
      title: 'Der eingegebene Code stimmt nicht',
      explanation: 'Verbleibende Versuche: {attempts}.',
      actions: ['Den Code aus der neuesten Nachricht eingeben', 'Oder einen neuen Code anfordern'],
    },
    delivery_delayed: {
      title: 'Ihr Code ist unterwegs',
      explanation: 'Das Netz hat Ihren Code, aber noch nicht zugestellt.|Bitte noch etwa {wait} warten.',
      actions: ['{wait} warten', 'Telefon eingeschaltet und mit Empfang lassen'],
    },
    not_sent_yet: {
      title: 'Ihr Code wird gesendet',
      explanation: 'Ihr Code steht in der Warteschlange und geht gleich raus.',
      actions: ['Einen Moment warten', 'Telefon eingeschaltet und mit Empfang lassen'],
    },
    expired: {
      title: 'Der Code ist abgelaufen',
      explanation: 'Codes gelten nur wenige Minuten.',
      actions: ['Einen neuen Code anfordern', 'Ihn gleich nach dem Eintreffen eingeben'],
    },
    canceled: {
      title: 'Diese Code-Anfrage wurde abgebrochen',
      explanation: 'Eine neuere Anfrage hat sie ersetzt, oder sie wurde abgebrochen.',
      actions: ['Neu beginnen, um einen neuen Code zu erhalten'],
    },
  },
  phone: {
    empty: 'Geben Sie Ihre Telefonnummer ein.',
    not_a_number: 'Das sieht nicht nach einer Telefonnummer aus.',
    missing_country_code: 'Fügen Sie die Ländervorwahl mit + hinzu (zum Beispiel +49).',
    invalid_country_code: 'Die Ländervorwahl scheint nicht zu stimmen.',
    too_short: 'Die Nummer ist zu kurz.',
    too_long: 'Die Nummer ist zu lang.',
    trunk_prefix_after_country_code: 'Lassen Sie die 0 nach der Ländervorwahl weg.',
    invalid_number: 'Diese Nummer gibt es so nicht.',
    not_sms_capable: 'Diese Nummer kann keine SMS empfangen. Wählen Sie stattdessen einen Anruf.',
  },
  didYouMean: 'Meinten Sie {number}?',
  channels: { sms: 'SMS', call: 'Anruf', whatsapp: 'WhatsApp', email: 'E-Mail', telegram: 'Telegram' },
  summaries: {
    approved: 'Ihr Code wurde akzeptiert. Sie müssen nichts weiter tun.',
    numberFine: 'Diese Nummer sieht richtig aus und kann Codes empfangen.',
    noProblem:
      'Wir haben kein Problem gefunden. Wenn der Code nicht angekommen ist, fordern Sie einen neuen an.',
  },
}
