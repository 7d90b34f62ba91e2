/** French user words. */
import type { UserWordsCatalog } from '../catalog.js'

export const fr: UserWordsCatalog = {
  causes: {
    number_mistyped: {
      title: 'Le numéro est à corriger',
      explanation: '{problem}',
      actions: [
        'Utilisez {number}',
        "Vérifiez le numéro et l'indicatif du pays, puis demandez un nouveau code",
      ],
    },
    number_not_sms_capable: {
      title: 'Ce numéro ne reçoit pas de SMS',
      explanation: "Il s'agit sans doute d'un fixe ou d'un numéro qui ne reçoit que des appels.",
      actions: ['Choisissez plutôt un appel', 'Ou utilisez un numéro de mobile'],
    },
    voip_number: {
      title: 'Cela ressemble à un numéro de téléphonie par internet',
      explanation: 'Certains services de téléphonie par internet ne reçoivent pas les SMS de vérification.',
      actions: ["Utilisez un numéro d'un opérateur mobile", 'Ou choisissez un appel'],
    },
    country_not_enabled: {
      title: 'Les codes ne peuvent pas être envoyés dans ce pays',
      explanation: "Ce service n'envoie pas de codes aux numéros de ce pays.",
      actions: ["Utilisez un numéro d'un autre pays", 'Ou contactez le support du service'],
    },
    rate_limited: {
      title: 'Trop de demandes de code',
      explanation:
        'Pour protéger votre compte, les nouveaux codes sont suspendus.|Vous pourrez redemander dans {wait}.',
      actions: ['Attendez {wait}, puis redemandez', 'Utilisez un code déjà reçu, si vous en avez un'],
    },
    max_sends_reached: {
      title: 'Tous les codes de cette connexion ont été envoyés',
      explanation: 'Aucun autre code ne peut être envoyé pour cette tentative.',
      actions: ['Saisissez un code déjà reçu', 'Ou recommencez plus tard'],
    },
    max_attempts_reached: {
      title: 'Trop de codes erronés ont été saisis',
      explanation: "Ce code n'est plus utilisable.",
      actions: ['Demandez un nouveau code', 'Saisissez soigneusement le code du message le plus récent'],
    },
    opted_out: {
      title: 'Nos SMS vers ce numéro ont été bloqués',
      explanation: "Ce numéro a répondu STOP à nos messages, l'opérateur les bloque donc.",
      actions: ['Envoyez START à {sender}, puis demandez un nouveau code', 'Ou choisissez un appel'],
    },
    unknown_subscriber: {
      title: "L'opérateur indique que ce numéro n'est pas attribué",
      explanation: "Le réseau mobile n'a pas trouvé ce numéro.",
      actions: ["Vérifiez qu'il n'y a pas de faute de frappe", 'Ou utilisez un autre numéro'],
    },
    carrier_filtered: {
      title: 'Votre opérateur a bloqué notre SMS',
      explanation: 'Le filtre anti-spam de votre opérateur a arrêté le message.|Il venait de {sender}.',
      actions: [
        'Autorisez les messages de {sender} sur votre téléphone ou auprès de votre opérateur',
        'Choisissez plutôt un appel',
        'Demandez un nouveau code',
      ],
    },
    handset_unreachable: {
      title: "Votre téléphone n'a pas pu être joint",
      explanation: 'Le réseau indique que votre téléphone est éteint ou sans réseau.',
      actions: ['Allumez votre téléphone et vérifiez le réseau', 'Puis demandez un nouveau code'],
    },
    provider_outage: {
      title: 'Notre service SMS rencontre un problème',
      explanation: 'Notre fournisseur de messages est en panne. Nous réessayons automatiquement.',
      actions: ['Patientez un instant : nous réessayons', 'Ou choisissez un appel'],
    },
    provider_outage_rerouted: {
      title: 'Votre code part par une autre voie',
      explanation: 'Notre premier fournisseur est en panne, votre code est donc parti par un autre.',
      actions: ['Patientez un instant', 'Gardez votre téléphone allumé, avec du réseau'],
    },
    no_route: {
      title: "Nous n'avons pas pu envoyer votre code",
      explanation: "Nous n'avons aucun moyen d'envoyer des codes à ce numéro par cette voie.",
      actions: ['Choisissez un autre moyen de recevoir le code', 'Ou contactez le support du service'],
    },
    spend_cap_reached: {
      title: "L'envoi de codes est suspendu pour le moment",
      explanation: "Ce service a atteint sa limite d'envois pour le moment.",
      actions: ['Réessayez plus tard', 'Ou contactez le support du service'],
    },
    delivery_failed: {
      title: "Votre code n'a pas pu être remis",
      explanation: "Le réseau n'a pas pu remettre le message.",
      actions: ['Demandez un nouveau code', 'Ou choisissez un appel'],
    },
    sent_by_other_channel: {
      title: 'Votre code est parti par un autre moyen',
      explanation: 'Notre SMS ne passait pas, le même code a donc été envoyé par {channel}.',
      actions: ['Cherchez le code dans {channel}'],
    },
    delivered_not_entered: {
      title: 'Votre code a été remis',
      explanation: 'Le réseau indique que le code est arrivé sur votre téléphone.',
      actions: [
        'Vérifiez vos messages, y compris les spams et expéditeurs inconnus',
        'Cherchez un message de {sender}',
        'Vérifiez les autres appareils qui utilisent ce numéro',
      ],
    },
    wrong_code: {
      title: 'Le code saisi ne correspond pas',
      explanation: 'Essais restants : {attempts}.',
      actions: ['Saisissez le code du message le plus récent', 'Ou demandez un nouveau code'],
    },
    delivery_delayed: {
      title: 'Votre code est en route',
      explanation: "Le réseau a votre code mais ne l'a pas encore remis.|Patientez encore environ {wait}.",
      actions: ['Patientez {wait}', 'Gardez votre téléphone allumé, avec du réseau'],
    },
    not_sent_yet: {
      title: "Votre code est en cours d'envoi",
      explanation: "Votre code est en file d'attente et part dans un instant.",
      actions: ['Patientez un instant', 'Gardez votre téléphone allumé, avec du réseau'],
    },
    expired: {
      title: 'Le code a expiré',
      explanation: 'Les codes ne valent que quelques minutes.',
      actions: ['Demandez un nouveau code', 'Saisissez-le dès réception'],
    },
    canceled: {
      title: 'Cette demande de code a été annulée',
      explanation: 'Une demande plus récente la remplace, ou elle a été annulée.',
      actions: ['Recommencez pour recevoir un nouveau code'],
    },
  },
  phone: {
    empty: 'Saisissez votre numéro de téléphone.',
    not_a_number: 'Cela ne ressemble pas à un numéro de téléphone.',
    missing_country_code: "Ajoutez l'indicatif du pays, en commençant par + (par exemple +33).",
    invalid_country_code: "L'indicatif du pays ne semble pas correct.",
    too_short: 'Le numéro est trop court.',
    too_long: 'Le numéro est trop long.',
    trunk_prefix_after_country_code: "Retirez le 0 après l'indicatif du pays.",
    invalid_number: "Ce numéro n'existe pas tel qu'il est écrit.",
    not_sms_capable: 'Ce numéro ne reçoit pas de SMS. Choisissez plutôt un appel.',
  },
  didYouMean: 'Vouliez-vous dire {number} ?',
  channels: { sms: 'SMS', call: 'appel', whatsapp: 'WhatsApp', email: 'e-mail', telegram: 'Telegram' },
  summaries: {
    approved: "Votre code a été accepté. Vous n'avez rien d'autre à faire.",
    numberFine: 'Ce numéro semble correct et peut recevoir des codes.',
    noProblem: "Nous n'avons trouvé aucun problème. Si le code n'est pas arrivé, demandez-en un nouveau.",
  },
}
