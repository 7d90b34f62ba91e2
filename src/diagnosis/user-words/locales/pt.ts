/** Portuguese user words. */
import type { UserWordsCatalog } from '../catalog.js'

export const pt: UserWordsCatalog = {
  causes: {
    number_mistyped: {
      title: 'O número precisa de correção',
      explanation: '{problem}',
      actions: ['Use {number}', 'Confira o número e o código do país e peça um novo código'],
    },
    number_not_sms_capable: {
      title: 'Este número não recebe SMS',
      explanation: 'Parece um telefone fixo ou um número que só recebe chamadas.',
      actions: ['Escolha uma chamada telefônica', 'Ou use um número de celular'],
    },
    voip_number: {
      title: 'Parece um número de telefonia pela internet',
      explanation: 'Alguns serviços de telefonia pela internet não recebem SMS de verificação.',
      actions: ['Use um número de uma operadora móvel', 'Ou escolha uma chamada'],
    },
    country_not_enabled: {
      title: 'Não é possível enviar códigos para este país',
      explanation: 'Este serviço não envia códigos para números deste país.',
      actions: ['Use um número de outro país', 'Ou fale com o suporte do serviço'],
    },
    rate_limited: {
      title: 'Pedidos de código demais',
      explanation:
        'Para proteger sua conta, novos códigos estão pausados.|Você poderá pedir de novo em {wait}.',
      actions: ['Espere {wait} e peça de novo', 'Use um código que você já recebeu, se tiver'],
    },
    max_sends_reached: {
      title: 'Todos os códigos deste acesso já foram enviados',
      explanation: 'Não é possível enviar mais códigos nesta tentativa.',
      actions: ['Digite um código que você já recebeu', 'Ou comece de novo mais tarde'],
    },
    max_attempts_reached: {
      title: 'Códigos errados demais foram digitados',
      explanation: 'Este código não pode mais ser usado.',
      actions: ['Peça um novo código', 'Digite com atenção o código da mensagem mais recente'],
    },
    opted_out: {
      title: 'Nossos SMS para este número foram bloqueados',
      explanation: 'Este número respondeu STOP às nossas mensagens, então a operadora as bloqueia.',
      actions: ['Envie START para {sender} e peça um novo código', 'Ou escolha uma chamada'],
    },
    unknown_subscriber: {
      title: 'A operadora diz que este número não está em uso',
      explanation: 'A rede móvel não encontrou este número.',
      actions: ['Confira se há erros no número', 'Ou use outro número'],
    },
    carrier_filtered: {
      title: 'Sua operadora bloqueou nosso SMS',
      explanation: 'O filtro de spam da sua operadora barrou a mensagem.|Ela veio de {sender}.',
      actions: [
        'Permita mensagens de {sender} no celular ou com a operadora',
        'Escolha uma chamada',
        'Peça um novo código',
      ],
    },
    handset_unreachable: {
      title: 'Não foi possível alcançar seu celular',
      explanation: 'A rede informa que o celular está desligado ou sem sinal.',
      actions: ['Ligue o celular e verifique se há sinal', 'Depois peça um novo código'],
    },
    provider_outage: {
      title: 'Nosso serviço de SMS está com problemas',
      explanation: 'Nosso provedor de mensagens está fora do ar. Estamos tentando de novo automaticamente.',
      actions: ['Aguarde um momento: vamos tentar de novo', 'Ou escolha uma chamada'],
    },
    provider_outage_rerouted: {
      title: 'Estamos enviando seu código por outro caminho',
      explanation: 'Nosso primeiro provedor está fora do ar, então seu código saiu por outro.',
      actions: ['Aguarde um momento pelo código', 'Mantenha o celular ligado e com sinal'],
    },
    no_route: {
      title: 'Não conseguimos enviar seu código',
      explanation: 'Não temos como enviar códigos para este número por este meio.',
      actions: ['Escolha outra forma de receber o código', 'Ou fale com o suporte do serviço'],
    },
    spend_cap_reached: {
      title: 'Pausamos o envio de códigos por enquanto',
      explanation: 'Este serviço atingiu seu limite de envios por enquanto.',
      actions: ['Tente mais tarde', 'Ou fale com o suporte do serviço'],
    },
    delivery_failed: {
      title: 'Não foi possível entregar seu código',
      explanation: 'A rede não conseguiu entregar a mensagem.',
      actions: ['Peça um novo código', 'Ou escolha uma chamada'],
    },
    sent_by_other_channel: {
      title: 'Enviamos seu código por outro meio',
      explanation: 'Nosso SMS não chegava, então o mesmo código foi enviado por {channel}.',
      actions: ['Procure o código em {channel}'],
    },
    delivered_not_entered: {
      title: 'Seu código foi entregue',
      explanation: 'A rede informa que o código chegou ao seu celular.',
      actions: [
        'Confira suas mensagens, inclusive spam e remetentes desconhecidos',
        'Procure uma mensagem de {sender}',
        'Confira outros aparelhos que usam este número',
      ],
    },
    wrong_code: {
      title: 'O código digitado não confere',
      explanation: 'Tentativas restantes: {attempts}.',
      actions: ['Digite o código da mensagem mais recente', 'Ou peça um novo código'],
    },
    delivery_delayed: {
      title: 'Seu código está a caminho',
      explanation: 'A rede já tem seu código, mas ainda não o entregou.|Aguarde mais uns {wait}.',
      actions: ['Aguarde {wait}', 'Mantenha o celular ligado e com sinal'],
    },
    not_sent_yet: {
      title: 'Seu código está sendo enviado',
      explanation: 'Seu código está na fila e sai em instantes.',
      actions: ['Aguarde um momento', 'Mantenha o celular ligado e com sinal'],
    },
    expired: {
      title: 'O código expirou',
      explanation: 'Os códigos valem só alguns minutos.',
      actions: ['Peça um novo código', 'Digite-o logo que chegar'],
    },
    canceled: {
      title: 'Este pedido de código foi cancelado',
      explanation: 'Um pedido mais recente o substituiu, ou ele foi cancelado.',
      actions: ['Comece de novo para receber um novo código'],
    },
  },
  phone: {
    empty: 'Digite seu número de telefone.',
    not_a_number: 'Isso não parece um número de telefone.',
    missing_country_code: 'Adicione o código do país, começando com + (por exemplo +55).',
    invalid_country_code: 'O código do país não parece correto.',
    too_short: 'O número é curto demais.',
    too_long: 'O número é longo demais.',
    trunk_prefix_after_country_code: 'Tire o 0 depois do código do país.',
    invalid_number: 'Esse número não existe do jeito que foi escrito.',
    not_sms_capable: 'Este número não recebe SMS. Escolha uma chamada.',
  },
  didYouMean: 'Você quis dizer {number}?',
  channels: { sms: 'SMS', call: 'chamada', whatsapp: 'WhatsApp', email: 'e-mail', telegram: 'Telegram' },
  summaries: {
    approved: 'Seu código foi aceito. Não é preciso fazer mais nada.',
    numberFine: 'Este número parece correto e pode receber códigos.',
    noProblem: 'Não encontramos nenhum problema. Se o código não chegou, peça um novo.',
  },
}
