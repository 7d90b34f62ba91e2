/** Japanese user words. */
import type { UserWordsCatalog } from '../catalog.js'

export const ja: UserWordsCatalog = {
  causes: {
    number_mistyped: {
      title: '電話番号の修正が必要です',
      explanation: '{problem}',
      actions: ['{number} を使ってください', '番号と国番号を確認し、新しいコードをリクエストしてください'],
    },
    number_not_sms_capable: {
      title: 'この番号は SMS を受信できません',
      explanation: '固定電話、または通話専用の番号のようです。',
      actions: ['代わりに音声通話を選んでください', 'または携帯電話番号を使ってください'],
    },
    voip_number: {
      title: 'インターネット電話の番号のようです',
      explanation: '一部のインターネット電話サービスは認証用の SMS を受信できません。',
      actions: ['携帯電話会社の番号を使ってください', 'または音声通話を選んでください'],
    },
    country_not_enabled: {
      title: 'この国にはコードを送信できません',
      explanation: 'このサービスはこの国の番号にコードを送信していません。',
      actions: ['別の国の番号を使ってください', 'またはサービスのサポートに連絡してください'],
    },
    rate_limited: {
      title: 'コードのリクエストが多すぎます',
      explanation:
        'アカウント保護のため、新しいコードの送信を一時停止しています。|{wait}後に再度リクエストできます。',
      actions: ['{wait}待ってから再度リクエストしてください', '受信済みのコードがあればそれを使ってください'],
    },
    max_sends_reached: {
      title: 'このログインのコードはすべて送信済みです',
      explanation: '今回の試行ではこれ以上コードを送信できません。',
      actions: ['受信済みのコードを入力してください', 'または後でやり直してください'],
    },
    max_attempts_reached: {
      title: '誤ったコードの入力が多すぎます',
      explanation: 'このコードはもう使えません。',
      actions: ['新しいコードをリクエストしてください', '最新のメッセージのコードを慎重に入力してください'],
    },
    opted_out: {
      title: 'この番号への SMS は停止されています',
      explanation: 'この番号から STOP と返信されたため、通信会社がメッセージをブロックしています。',
      actions: [
        '{sender} に START と送信してから新しいコードをリクエストしてください',
        'または音声通話を選んでください',
      ],
    },
    unknown_subscriber: {
      title: '通信会社によるとこの番号は使われていません',
      explanation: 'モバイルネットワークでこの番号が見つかりませんでした。',
      actions: ['番号に入力ミスがないか確認してください', 'または別の番号を使ってください'],
    },
    carrier_filtered: {
      title: '通信会社が SMS をブロックしました',
      explanation: '通信会社の迷惑メッセージフィルターがメッセージを止めました。|送信元は {sender} です。',
      actions: [
        '端末または通信会社の設定で {sender} からのメッセージを許可してください',
        '代わりに音声通話を選んでください',
        '新しいコードをリクエストしてください',
      ],
    },
    handset_unreachable: {
      title: '電話に届きませんでした',
      explanation: 'ネットワークによると、電話の電源が切れているか圏外です。',
      actions: ['電源を入れ、電波があるか確認してください', 'その後、新しいコードをリクエストしてください'],
    },
    provider_outage: {
      title: 'SMS サービスに障害が発生しています',
      explanation: 'メッセージ配信業者が停止しています。自動的に再試行しています。',
      actions: ['しばらくお待ちください（自動で再試行します）', 'または音声通話を選んでください'],
    },
    provider_outage_rerouted: {
      title: '別の経路でコードを送信しています',
      explanation: '最初の配信業者が停止しているため、別の業者からコードを送信しました。',
      actions: ['コードが届くまで少しお待ちください', '電話の電源を入れ、電波のある場所にいてください'],
    },
    no_route: {
      title: 'コードを送信できませんでした',
      explanation: 'この方法ではこの番号にコードを送信する手段がありません。',
      actions: ['別の受け取り方法を選んでください', 'またはサービスのサポートに連絡してください'],
    },
    spend_cap_reached: {
      title: 'コードの送信を一時停止しています',
      explanation: 'このサービスは現在、送信上限に達しています。',
      actions: ['後でもう一度お試しください', 'またはサービスのサポートに連絡してください'],
    },
    delivery_failed: {
      title: 'コードを配信できませんでした',
      explanation: 'ネットワークがメッセージを配信できませんでした。',
      actions: ['新しいコードをリクエストしてください', 'または音声通話を選んでください'],
    },
    sent_by_other_channel: {
      title: '別の方法でコードを送信しました',
      explanation: 'SMS が届かなかったため、同じコードを{channel}で送信しました。',
      actions: ['{channel}でコードを確認してください'],
    },
    delivered_not_entered: {
      title: 'コードは配信済みです',
      explanation: 'ネットワークによると、コードはお使いの電話に届いています。',
      actions: [
        '迷惑メッセージや不明な送信者も含めてメッセージを確認してください',
        '{sender} からのメッセージを探してください',
        'この番号を使う他の端末も確認してください',
      ],
    },
    wrong_code: {
      title: '入力したコードが一致しません',
      explanation: '残りの試行回数: {attempts}。',
      actions: ['最新のメッセージのコードを入力してください', 'または新しいコードをリクエストしてください'],
    },
    delivery_delayed: {
      title: 'コードは配信中です',
      explanation:
        '通信会社はコードを受け取りましたが、まだ配信されていません。|あと約{wait}お待ちください。',
      actions: ['{wait}お待ちください', '電話の電源を入れ、電波のある場所にいてください'],
    },
    not_sent_yet: {
      title: 'コードを送信しています',
      explanation: 'コードは送信待ちで、まもなく送信されます。',
      actions: ['少しお待ちください', '電話の電源を入れ、電波のある場所にいてください'],
    },
    expired: {
      title: 'コードの有効期限が切れました',
      explanation: 'コードの有効期間は数分間だけです。',
      actions: ['新しいコードをリクエストしてください', '届いたらすぐに入力してください'],
    },
    canceled: {
      title: 'このコードのリクエストはキャンセルされました',
      explanation: '新しいリクエストに置き換えられたか、キャンセルされました。',
      actions: ['最初からやり直して新しいコードを受け取ってください'],
    },
  },
  phone: {
    empty: '電話番号を入力してください。',
    not_a_number: '電話番号ではないようです。',
    missing_country_code: '+ から始まる国番号を追加してください（例: +81）。',
    invalid_country_code: '国番号が正しくないようです。',
    too_short: '番号が短すぎます。',
    too_long: '番号が長すぎます。',
    trunk_prefix_after_country_code: '国番号の後の 0 を省いてください。',
    invalid_number: '入力された番号は存在しません。',
    not_sms_capable: 'この番号は SMS を受信できません。代わりに音声通話を選んでください。',
  },
  didYouMean: '{number} ではありませんか？',
  channels: { sms: 'SMS', call: '音声通話', whatsapp: 'WhatsApp', email: 'メール', telegram: 'Telegram' },
  summaries: {
    approved: 'コードが承認されました。これ以上の操作は必要ありません。',
    numberFine: 'この番号は正しく、コードを受け取れます。',
    noProblem:
      '問題は見つかりませんでした。コードが届いていない場合は、新しいコードをリクエストしてください。',
  },
}
