/** Chinese (Simplified) user words. */
import type { UserWordsCatalog } from '../catalog.js'

export const zh: UserWordsCatalog = {
  causes: {
    number_mistyped: {
      title: '号码需要更正',
      explanation: '{problem}',
      actions: ['改用 {number}', '检查号码和国家代码，然后重新获取验证码'],
    },
    number_not_sms_capable: {
      title: '此号码无法接收短信',
      explanation: '这似乎是固定电话或仅能接听电话的号码。',
      actions: ['改为选择电话语音', '或使用手机号码'],
    },
    voip_number: {
      title: '这似乎是网络电话号码',
      explanation: '部分网络电话服务无法接收验证短信。',
      actions: ['使用移动运营商的号码', '或选择电话语音'],
    },
    country_not_enabled: {
      title: '无法向该国家/地区发送验证码',
      explanation: '此服务不向该国家/地区的号码发送验证码。',
      actions: ['使用其他国家/地区的号码', '或联系该服务的客服'],
    },
    rate_limited: {
      title: '获取验证码过于频繁',
      explanation: '为保护您的账户，已暂停发送新验证码。|{wait}后可再次获取。',
      actions: ['等待{wait}后再试', '如已收到验证码，请直接使用'],
    },
    max_sends_reached: {
      title: '本次登录的验证码已全部发送',
      explanation: '本次尝试无法再发送验证码。',
      actions: ['输入已收到的验证码', '或稍后重新开始'],
    },
    max_attempts_reached: {
      title: '输入错误验证码次数过多',
      explanation: '此验证码已无法使用。',
      actions: ['重新获取验证码', '仔细输入最新短信中的验证码'],
    },
    opted_out: {
      title: '发往此号码的短信已被停止',
      explanation: '此号码曾回复 STOP，运营商因此拦截我们的短信。',
      actions: ['向 {sender} 发送 START，然后重新获取验证码', '或选择电话语音'],
    },
    unknown_subscriber: {
      title: '运营商称此号码未在使用',
      explanation: '移动网络找不到此号码。',
      actions: ['检查号码是否输错', '或使用其他号码'],
    },
    carrier_filtered: {
      title: '您的运营商拦截了我们的短信',
      explanation: '运营商的垃圾短信过滤器拦截了该消息。|发送方为 {sender}。',
      actions: ['在手机或运营商处允许来自 {sender} 的短信', '改为选择电话语音', '重新获取验证码'],
    },
    handset_unreachable: {
      title: '无法联系到您的手机',
      explanation: '网络显示您的手机已关机或无信号。',
      actions: ['开机并确认有信号', '然后重新获取验证码'],
    },
    provider_outage: {
      title: '我们的短信服务出现故障',
      explanation: '我们的短信服务商暂时不可用，正在自动重试。',
      actions: ['请稍候：我们会自动重试', '或选择电话语音'],
    },
    provider_outage_rerouted: {
      title: '正在通过其他通道发送验证码',
      explanation: '首选服务商不可用，验证码已改由其他服务商发送。',
      actions: ['请稍候验证码', '保持手机开机并有信号'],
    },
    no_route: {
      title: '无法发送您的验证码',
      explanation: '我们无法通过此方式向该号码发送验证码。',
      actions: ['选择其他方式获取验证码', '或联系该服务的客服'],
    },
    spend_cap_reached: {
      title: '暂停发送验证码',
      explanation: '此服务目前已达到发送上限。',
      actions: ['稍后再试', '或联系该服务的客服'],
    },
    delivery_failed: {
      title: '验证码未能送达',
      explanation: '网络未能送达该消息。',
      actions: ['重新获取验证码', '或选择电话语音'],
    },
    sent_by_other_channel: {
      title: '我们已通过其他方式发送验证码',
      explanation: '短信无法送达，同一验证码已通过{channel}发送。',
      actions: ['请在{channel}中查看验证码'],
    },
    delivered_not_entered: {
      title: '验证码已送达',
      explanation: '网络显示验证码已到达您的手机。',
      actions: ['检查短信，包括垃圾短信和陌生发件人', '查找来自 {sender} 的短信', '检查使用此号码的其他设备'],
    },
    wrong_code: {
      title: '输入的验证码不正确',
      explanation: '剩余尝试次数：{attempts}。',
      actions: ['输入最新短信中的验证码', '或重新获取验证码'],
    },
    delivery_delayed: {
      title: '验证码正在路上',
      explanation: '运营商已收到验证码，但尚未送达。|请再等待约{wait}。',
      actions: ['等待{wait}', '保持手机开机并有信号'],
    },
    not_sent_yet: {
      title: '正在发送验证码',
      explanation: '验证码正在排队，马上发出。',
      actions: ['请稍候', '保持手机开机并有信号'],
    },
    expired: {
      title: '验证码已过期',
      explanation: '验证码仅在几分钟内有效。',
      actions: ['重新获取验证码', '收到后请尽快输入'],
    },
    canceled: {
      title: '此验证码请求已取消',
      explanation: '它已被更新的请求取代，或已被取消。',
      actions: ['重新开始以获取新验证码'],
    },
  },
  phone: {
    empty: '请输入您的电话号码。',
    not_a_number: '这看起来不像电话号码。',
    missing_country_code: '请添加以 + 开头的国家代码（例如 +86）。',
    invalid_country_code: '国家代码似乎不正确。',
    too_short: '号码太短。',
    too_long: '号码太长。',
    trunk_prefix_after_country_code: '去掉国家代码后面的 0。',
    invalid_number: '按所填写的方式，该号码不存在。',
    not_sms_capable: '此号码无法接收短信，请改为选择电话语音。',
  },
  didYouMean: '您是想输入 {number} 吗？',
  channels: {
    sms: '短信',
    call: '电话语音',
    whatsapp: 'WhatsApp',
    email: '电子邮件',
    telegram: 'Telegram 消息',
  },
  summaries: {
    approved: '您的验证码已通过。无需其他操作。',
    numberFine: '此号码看起来正确，可以接收验证码。',
    noProblem: '我们没有发现问题。如果验证码还没收到，请重新获取。',
  },
}
