/** Indonesian user words. */
import type { UserWordsCatalog } from '../catalog.js'

export const id: UserWordsCatalog = {
  causes: {
    number_mistyped: {
      title: 'Nomor perlu diperbaiki',
      explanation: '{problem}',
      actions: ['Gunakan {number}', 'Periksa nomor dan kode negara, lalu minta kode baru'],
    },
    number_not_sms_capable: {
      title: 'Nomor ini tidak bisa menerima SMS',
      explanation: 'Sepertinya ini nomor telepon rumah atau nomor khusus panggilan.',
      actions: ['Pilih panggilan telepon saja', 'Atau gunakan nomor ponsel'],
    },
    voip_number: {
      title: 'Ini tampaknya nomor telepon internet',
      explanation: 'Beberapa layanan telepon internet tidak menerima SMS verifikasi.',
      actions: ['Gunakan nomor dari operator seluler', 'Atau pilih panggilan telepon'],
    },
    country_not_enabled: {
      title: 'Kode tidak bisa dikirim ke negara ini',
      explanation: 'Layanan ini tidak mengirim kode ke nomor di negara ini.',
      actions: ['Gunakan nomor dari negara lain', 'Atau hubungi dukungan layanan'],
    },
    rate_limited: {
      title: 'Terlalu banyak permintaan kode',
      explanation:
        'Untuk melindungi akun Anda, pengiriman kode baru dijeda.|Anda bisa meminta lagi dalam {wait}.',
      actions: ['Tunggu {wait}, lalu minta lagi', 'Gunakan kode yang sudah Anda terima, jika ada'],
    },
    max_sends_reached: {
      title: 'Semua kode untuk login ini sudah dikirim',
      explanation: 'Tidak ada kode lagi yang bisa dikirim untuk percobaan ini.',
      actions: ['Masukkan kode yang sudah Anda terima', 'Atau mulai lagi nanti'],
    },
    max_attempts_reached: {
      title: 'Terlalu banyak kode salah dimasukkan',
      explanation: 'Kode ini tidak bisa digunakan lagi.',
      actions: ['Minta kode baru', 'Masukkan kode dari pesan terbaru dengan teliti'],
    },
    opted_out: {
      title: 'SMS kami ke nomor ini dihentikan',
      explanation: 'Nomor ini pernah membalas STOP ke pesan kami, jadi operator memblokirnya.',
      actions: ['Kirim START ke {sender}, lalu minta kode baru', 'Atau pilih panggilan telepon'],
    },
    unknown_subscriber: {
      title: 'Operator menyatakan nomor ini tidak aktif',
      explanation: 'Jaringan seluler tidak menemukan nomor ini.',
      actions: ['Periksa salah ketik pada nomor', 'Atau gunakan nomor lain'],
    },
    carrier_filtered: {
      title: 'Operator Anda memblokir SMS kami',
      explanation: 'Filter spam operator Anda menghentikan pesan.|Pesan berasal dari {sender}.',
      actions: [
        'Izinkan pesan dari {sender} di ponsel atau di operator Anda',
        'Pilih panggilan telepon saja',
        'Minta kode baru',
      ],
    },
    handset_unreachable: {
      title: 'Ponsel Anda tidak bisa dihubungi',
      explanation: 'Jaringan menyatakan ponsel Anda mati atau tanpa sinyal.',
      actions: ['Nyalakan ponsel dan pastikan ada sinyal', 'Lalu minta kode baru'],
    },
    provider_outage: {
      title: 'Layanan SMS kami sedang bermasalah',
      explanation: 'Penyedia pesan kami sedang mati. Kami mencoba lagi secara otomatis.',
      actions: ['Tunggu sebentar: kami akan mencoba lagi', 'Atau pilih panggilan telepon'],
    },
    provider_outage_rerouted: {
      title: 'Kami mengirim kode Anda lewat jalur lain',
      explanation: 'Penyedia pertama kami sedang mati, jadi kode Anda dikirim lewat penyedia lain.',
      actions: ['Tunggu sebentar untuk kodenya', 'Biarkan ponsel menyala dan bersinyal'],
    },
    no_route: {
      title: 'Kami tidak bisa mengirim kode Anda',
      explanation: 'Kami tidak punya cara mengirim kode ke nomor ini lewat cara ini.',
      actions: ['Pilih cara lain untuk menerima kode', 'Atau hubungi dukungan layanan'],
    },
    spend_cap_reached: {
      title: 'Pengiriman kode dijeda untuk sementara',
      explanation: 'Layanan ini telah mencapai batas pengirimannya untuk saat ini.',
      actions: ['Coba lagi nanti', 'Atau hubungi dukungan layanan'],
    },
    delivery_failed: {
      title: 'Kode Anda tidak bisa dikirim',
      explanation: 'Jaringan tidak bisa mengirim pesan.',
      actions: ['Minta kode baru', 'Atau pilih panggilan telepon'],
    },
    sent_by_other_channel: {
      title: 'Kami mengirim kode Anda dengan cara lain',
      explanation: 'SMS kami tidak sampai, jadi kode yang sama dikirim lewat {channel}.',
      actions: ['Cari kodenya di {channel}'],
    },
    delivered_not_entered: {
      title: 'Kode Anda sudah terkirim',
      explanation: 'Jaringan menyatakan kode sudah sampai di ponsel Anda.',
      actions: [
        'Periksa pesan, termasuk spam dan pengirim tak dikenal',
        'Cari pesan dari {sender}',
        'Periksa perangkat lain yang memakai nomor ini',
      ],
    },
    wrong_code: {
      title: 'Kode yang dimasukkan tidak cocok',
      explanation: 'Sisa percobaan: {attempts}.',
      actions: ['Masukkan kode dari pesan terbaru', 'Atau minta kode baru'],
    },
    delivery_delayed: {
      title: 'Kode Anda sedang dalam perjalanan',
      explanation:
        'Operator sudah menerima kode Anda tetapi belum mengirimkannya.|Mohon tunggu sekitar {wait} lagi.',
      actions: ['Tunggu {wait}', 'Biarkan ponsel menyala dan bersinyal'],
    },
    not_sent_yet: {
      title: 'Kode Anda sedang dikirim',
      explanation: 'Kode Anda dalam antrean dan segera dikirim.',
      actions: ['Tunggu sebentar', 'Biarkan ponsel menyala dan bersinyal'],
    },
    expired: {
      title: 'Kode sudah kedaluwarsa',
      explanation: 'Kode hanya berlaku beberapa menit.',
      actions: ['Minta kode baru', 'Masukkan segera setelah diterima'],
    },
    canceled: {
      title: 'Permintaan kode ini dibatalkan',
      explanation: 'Permintaan yang lebih baru menggantikannya, atau dibatalkan.',
      actions: ['Mulai lagi untuk mendapatkan kode baru'],
    },
  },
  phone: {
    empty: 'Masukkan nomor telepon Anda.',
    not_a_number: 'Itu tidak tampak seperti nomor telepon.',
    missing_country_code: 'Tambahkan kode negara yang diawali + (misalnya +62).',
    invalid_country_code: 'Kode negara tampaknya tidak benar.',
    too_short: 'Nomor terlalu pendek.',
    too_long: 'Nomor terlalu panjang.',
    trunk_prefix_after_country_code: 'Hapus angka 0 setelah kode negara.',
    invalid_number: 'Nomor itu tidak ada seperti yang ditulis.',
    not_sms_capable: 'Nomor ini tidak bisa menerima SMS. Pilih panggilan telepon saja.',
  },
  didYouMean: 'Maksud Anda {number}?',
  channels: {
    sms: 'SMS',
    call: 'panggilan telepon',
    whatsapp: 'WhatsApp',
    email: 'email',
    telegram: 'Telegram',
  },
  summaries: {
    approved: 'Kode Anda diterima. Tidak ada lagi yang perlu dilakukan.',
    numberFine: 'Nomor ini tampak benar dan bisa menerima kode.',
    noProblem: 'Kami tidak menemukan masalah. Jika kode belum tiba, minta kode baru.',
  },
}
