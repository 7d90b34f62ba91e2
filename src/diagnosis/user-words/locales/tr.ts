/** Turkish user words. */
import type { UserWordsCatalog } from '../catalog.js'

export const tr: UserWordsCatalog = {
  causes: {
    number_mistyped: {
      title: 'Numaranın düzeltilmesi gerekiyor',
      explanation: '{problem}',
      actions: ['Bunun yerine {number} kullanın', 'Numarayı ve ülke kodunu kontrol edip yeni kod isteyin'],
    },
    number_not_sms_capable: {
      title: 'Bu numara SMS alamıyor',
      explanation: 'Sabit hat ya da yalnızca arama alan bir numara gibi görünüyor.',
      actions: ['Bunun yerine sesli aramayı seçin', 'Ya da bir cep telefonu numarası kullanın'],
    },
    voip_number: {
      title: 'Bu bir internet telefonu numarasına benziyor',
      explanation: 'Bazı internet telefonu hizmetleri doğrulama SMS’lerini almaz.',
      actions: ['Bir mobil operatör numarası kullanın', 'Ya da sesli aramayı seçin'],
    },
    country_not_enabled: {
      title: 'Bu ülkeye kod gönderilemiyor',
      explanation: 'Bu hizmet bu ülkedeki numaralara kod göndermiyor.',
      actions: ['Başka bir ülkeden numara kullanın', 'Ya da hizmetin destek ekibine başvurun'],
    },
    rate_limited: {
      title: 'Çok fazla kod isteği',
      explanation: 'Hesabınızı korumak için yeni kodlar duraklatıldı.|{wait} sonra yeniden isteyebilirsiniz.',
      actions: ['{wait} bekleyip yeniden isteyin', 'Elinizde varsa daha önce gelen kodu kullanın'],
    },
    max_sends_reached: {
      title: 'Bu giriş için tüm kodlar gönderildi',
      explanation: 'Bu deneme için daha fazla kod gönderilemez.',
      actions: ['Daha önce gelen bir kodu girin', 'Ya da daha sonra yeniden başlayın'],
    },
    max_attempts_reached: {
      title: 'Çok fazla yanlış kod girildi',
      explanation: 'Bu kod artık kullanılamaz.',
      actions: ['Yeni kod isteyin', 'En son mesajdaki kodu dikkatle girin'],
    },
    opted_out: {
      title: 'Bu numaraya SMS’lerimiz durduruldu',
      explanation: 'Bu numara mesajlarımıza STOP yanıtı verdiği için operatör onları engelliyor.',
      actions: ['{sender} numarasına START yazıp yeni kod isteyin', 'Ya da sesli aramayı seçin'],
    },
    unknown_subscriber: {
      title: 'Operatöre göre bu numara kullanımda değil',
      explanation: 'Mobil ağ bu numarayı bulamadı.',
      actions: ['Numarada yazım hatası olup olmadığını kontrol edin', 'Ya da başka bir numara kullanın'],
    },
    carrier_filtered: {
      title: 'Operatörünüz SMS’imizi engelledi',
      explanation: 'Operatörünüzün spam filtresi mesajı durdurdu.|Mesaj {sender} adından geldi.',
      actions: [
        'Telefonunuzda ya da operatörünüzde {sender} mesajlarına izin verin',
        'Bunun yerine sesli aramayı seçin',
        'Yeni kod isteyin',
      ],
    },
    handset_unreachable: {
      title: 'Telefonunuza ulaşılamadı',
      explanation: 'Ağa göre telefonunuz kapalı ya da kapsama alanı dışında.',
      actions: ['Telefonunuzu açıp sinyali kontrol edin', 'Sonra yeni kod isteyin'],
    },
    provider_outage: {
      title: 'SMS hizmetimizde sorun var',
      explanation: 'Mesaj sağlayıcımız çalışmıyor. Otomatik olarak yeniden deniyoruz.',
      actions: ['Biraz bekleyin: yeniden deneyeceğiz', 'Ya da sesli aramayı seçin'],
    },
    provider_outage_rerouted: {
      title: 'Kodunuzu başka yoldan gönderiyoruz',
      explanation: 'İlk sağlayıcımız çalışmadığı için kodunuz başka bir sağlayıcıyla gönderildi.',
      actions: ['Kod için biraz bekleyin', 'Telefonunuzu açık ve kapsama alanında tutun'],
    },
    no_route: {
      title: 'Kodunuzu gönderemedik',
      explanation: 'Bu numaraya bu yolla kod göndermenin bir yolu yok.',
      actions: ['Kodu almak için başka bir yol seçin', 'Ya da hizmetin destek ekibine başvurun'],
    },
    spend_cap_reached: {
      title: 'Kod gönderimini şimdilik durdurduk',
      explanation: 'Bu hizmet şimdilik gönderim sınırına ulaştı.',
      actions: ['Daha sonra yeniden deneyin', 'Ya da hizmetin destek ekibine başvurun'],
    },
    delivery_failed: {
      title: 'Kodunuz teslim edilemedi',
      explanation: 'Ağ mesajı teslim edemedi.',
      actions: ['Yeni kod isteyin', 'Ya da sesli aramayı seçin'],
    },
    sent_by_other_channel: {
      title: 'Kodunuzu başka yoldan gönderdik',
      explanation: 'SMS’imiz ulaşmadığı için aynı kod {channel} ile gönderildi.',
      actions: ['Kodu {channel} üzerinden arayın'],
    },
    delivered_not_entered: {
      title: 'Kodunuz teslim edildi',
      explanation: 'Ağa göre kod telefonunuza ulaştı.',
      actions: [
        'Spam ve bilinmeyen gönderenler dahil mesajlarınızı kontrol edin',
        '{sender} adından gelen mesaja bakın',
        'Bu numarayı kullanan diğer cihazları kontrol edin',
      ],
    },
    wrong_code: {
      title: 'Girilen kod eşleşmedi',
      explanation: 'Kalan deneme: {attempts}.',
      actions: ['En son mesajdaki kodu girin', 'Ya da yeni kod isteyin'],
    },
    delivery_delayed: {
      title: 'Kodunuz yolda',
      explanation: 'Kodunuz operatörde ama henüz teslim edilmedi.|Lütfen yaklaşık {wait} daha bekleyin.',
      actions: ['{wait} bekleyin', 'Telefonunuzu açık ve kapsama alanında tutun'],
    },
    not_sent_yet: {
      title: 'Kodunuz gönderiliyor',
      explanation: 'Kodunuz sırada ve birazdan gönderilecek.',
      actions: ['Biraz bekleyin', 'Telefonunuzu açık ve kapsama alanında tutun'],
    },
    expired: {
      title: 'Kodun süresi doldu',
      explanation: 'Kodlar yalnızca birkaç dakika geçerlidir.',
      actions: ['Yeni kod isteyin', 'Gelir gelmez girin'],
    },
    canceled: {
      title: 'Bu kod isteği iptal edildi',
      explanation: 'Daha yeni bir istek onun yerini aldı ya da iptal edildi.',
      actions: ['Yeni kod almak için baştan başlayın'],
    },
  },
  phone: {
    empty: 'Telefon numaranızı girin.',
    not_a_number: 'Bu bir telefon numarasına benzemiyor.',
    missing_country_code: 'Ülke kodunu + ile başlayarak ekleyin (örneğin +90).',
    invalid_country_code: 'Ülke kodu doğru görünmüyor.',
    too_short: 'Numara çok kısa.',
    too_long: 'Numara çok uzun.',
    trunk_prefix_after_country_code: 'Ülke kodundan sonraki 0’ı çıkarın.',
    invalid_number: 'Bu numara yazıldığı haliyle mevcut değil.',
    not_sms_capable: 'Bu numara SMS alamıyor. Bunun yerine sesli aramayı seçin.',
  },
  didYouMean: '{number} mi demek istediniz?',
  channels: { sms: 'SMS', call: 'sesli arama', whatsapp: 'WhatsApp', email: 'e-posta', telegram: 'Telegram' },
  summaries: {
    approved: 'Kodunuz kabul edildi. Başka bir şey yapmanıza gerek yok.',
    numberFine: 'Bu numara doğru görünüyor ve kod alabilir.',
    noProblem: 'Bir sorun bulamadık. Kod gelmediyse yeni bir kod isteyin.',
  },
}
