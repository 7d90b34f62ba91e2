/** Spanish user words. */
import type { UserWordsCatalog } from '../catalog.js'

export const es: UserWordsCatalog = {
  causes: {
    number_mistyped: {
      title: 'Hay que corregir el número',
      explanation: '{problem}',
      actions: ['Usa {number}', 'Revisa el número y el prefijo del país y pide un código nuevo'],
    },
    number_not_sms_capable: {
      title: 'Este número no puede recibir SMS',
      explanation: 'Parece un fijo o un número que solo recibe llamadas.',
      actions: ['Elige una llamada', 'O usa un número de móvil'],
    },
    voip_number: {
      title: 'Parece un número de telefonía por internet',
      explanation: 'Algunos servicios de telefonía por internet no reciben SMS de verificación.',
      actions: ['Usa un número de una red móvil', 'O elige una llamada'],
    },
    country_not_enabled: {
      title: 'No se pueden enviar códigos a este país',
      explanation: 'Este servicio no envía códigos a números de este país.',
      actions: ['Usa un número de otro país', 'O contacta con el soporte del servicio'],
    },
    rate_limited: {
      title: 'Demasiadas solicitudes de código',
      explanation:
        'Para proteger tu cuenta, hemos pausado los códigos nuevos.|Podrás pedir otro dentro de {wait}.',
      actions: ['Espera {wait} y vuelve a pedirlo', 'Usa un código que ya hayas recibido, si lo tienes'],
    },
    max_sends_reached: {
      title: 'Ya se enviaron todos los códigos de este inicio de sesión',
      explanation: 'No se pueden enviar más códigos en este intento.',
      actions: ['Introduce un código que ya hayas recibido', 'O vuelve a empezar más tarde'],
    },
    max_attempts_reached: {
      title: 'Se introdujeron demasiados códigos incorrectos',
      explanation: 'Este código ya no se puede usar.',
      actions: ['Pide un código nuevo', 'Introduce con cuidado el código del mensaje más reciente'],
    },
    opted_out: {
      title: 'Se detuvieron nuestros SMS a este número',
      explanation: 'Este número respondió STOP a nuestros mensajes, así que la red los bloquea.',
      actions: ['Envía START a {sender} y pide un código nuevo', 'O elige una llamada'],
    },
    unknown_subscriber: {
      title: 'La red dice que este número no está en uso',
      explanation: 'La red móvil no encontró este número.',
      actions: ['Revisa si hay errores en el número', 'O usa otro número'],
    },
    carrier_filtered: {
      title: 'Tu operador bloqueó nuestro SMS',
      explanation: 'El filtro de spam de tu red detuvo el mensaje.|Venía de {sender}.',
      actions: [
        'Permite los mensajes de {sender} en tu teléfono o con tu operador',
        'Elige una llamada',
        'Pide un código nuevo',
      ],
    },
    handset_unreachable: {
      title: 'No se pudo contactar con tu teléfono',
      explanation: 'La red indica que tu teléfono está apagado o sin cobertura.',
      actions: ['Enciende el teléfono y comprueba que tiene cobertura', 'Después pide un código nuevo'],
    },
    provider_outage: {
      title: 'Nuestro servicio de SMS tiene problemas',
      explanation: 'Nuestro proveedor de mensajes no funciona. Lo reintentamos automáticamente.',
      actions: ['Espera un momento: lo reintentaremos', 'O elige una llamada'],
    },
    provider_outage_rerouted: {
      title: 'Enviamos tu código por otra vía',
      explanation: 'Nuestro primer proveedor no funciona, así que tu código salió por otro.',
      actions: ['Espera un momento a que llegue', 'Mantén el teléfono encendido y con cobertura'],
    },
    no_route: {
      title: 'No pudimos enviar tu código',
      explanation: 'No tenemos forma de enviar códigos a este número por esta vía.',
      actions: ['Elige otra forma de recibir el código', 'O contacta con el soporte del servicio'],
    },
    spend_cap_reached: {
      title: 'Hemos pausado el envío de códigos',
      explanation: 'Este servicio ha alcanzado su límite de envíos por ahora.',
      actions: ['Inténtalo más tarde', 'O contacta con el soporte del servicio'],
    },
    delivery_failed: {
      title: 'No se pudo entregar tu código',
      explanation: 'La red no pudo entregar el mensaje.',
      actions: ['Pide un código nuevo', 'O elige una llamada'],
    },
    sent_by_other_channel: {
      title: 'Te enviamos el código por otra vía',
      explanation: 'Nuestro SMS no llegaba, así que enviamos el mismo código por {channel}.',
      actions: ['Busca el código en {channel}'],
    },
    delivered_not_entered: {
      title: 'Tu código se entregó',
      explanation: 'La red indica que el código llegó a tu teléfono.',
      actions: [
        'Revisa tus mensajes, también spam y remitentes desconocidos',
        'Busca un mensaje de {sender}',
        'Revisa otros dispositivos que usen este número',
      ],
    },
    wrong_code: {
      title: 'El código no coincide',
      explanation: 'Intentos restantes: {attempts}.',
      actions: ['Introduce el código del mensaje más reciente', 'O pide un código nuevo'],
    },
    delivery_delayed: {
      title: 'Tu código está en camino',
      explanation: 'La red tiene tu código pero aún no lo ha entregado.|Espera unos {wait} más.',
      actions: ['Espera {wait}', 'Mantén el teléfono encendido y con cobertura'],
    },
    not_sent_yet: {
      title: 'Estamos enviando tu código',
      explanation: 'Tu código está en cola y sale en un momento.',
      actions: ['Espera un momento', 'Mantén el teléfono encendido y con cobertura'],
    },
    expired: {
      title: 'El código ha caducado',
      explanation: 'Los códigos solo valen unos minutos.',
      actions: ['Pide un código nuevo', 'Introdúcelo en cuanto llegue'],
    },
    canceled: {
      title: 'Esta solicitud de código se canceló',
      explanation: 'Una solicitud más reciente la sustituyó, o se canceló.',
      actions: ['Vuelve a empezar para recibir un código nuevo'],
    },
  },
  phone: {
    empty: 'Introduce tu número de teléfono.',
    not_a_number: 'Eso no parece un número de teléfono.',
    missing_country_code: 'Añade el prefijo del país, empezando por + (por ejemplo +34).',
    invalid_country_code: 'El prefijo del país no parece correcto.',
    too_short: 'El número es demasiado corto.',
    too_long: 'El número es demasiado largo.',
    trunk_prefix_after_country_code: 'Quita el 0 que va después del prefijo del país.',
    invalid_number: 'Ese número no existe tal como está escrito.',
    not_sms_capable: 'Este número no puede recibir SMS. Elige una llamada.',
  },
  didYouMean: '¿Querías decir {number}?',
  channels: {
    sms: 'SMS',
    call: 'llamada',
    whatsapp: 'WhatsApp',
    email: 'correo electrónico',
    telegram: 'Telegram',
  },
  summaries: {
    approved: 'Tu código se aceptó. No hace falta hacer nada más.',
    numberFine: 'Este número parece correcto y puede recibir códigos.',
    noProblem: 'No encontramos ningún problema. Si el código no ha llegado, pide uno nuevo.',
  },
}
