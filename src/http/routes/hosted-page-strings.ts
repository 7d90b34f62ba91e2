/**
 * @module The hosted page's own words (around the widget, which carries its own translations), in
 * the widget's 13 languages. `{app}` is the service's brand or name.
 */

export const PAGE_LOCALES = [
  'en',
  'es',
  'pt',
  'fr',
  'de',
  'ru',
  'tr',
  'zh',
  'ja',
  'ar',
  'hi',
  'vi',
  'id',
] as const
export type PageLocale = (typeof PAGE_LOCALES)[number]

export const RTL_LOCALES: ReadonlySet<string> = new Set(['ar'])

/** Each language's name in itself, for the language switch. */
export const LANGUAGE_NAMES: Record<PageLocale, string> = {
  en: 'English',
  es: 'Español',
  pt: 'Português',
  fr: 'Français',
  de: 'Deutsch',
  ru: 'Русский',
  tr: 'Türkçe',
  zh: '中文',
  ja: '日本語',
  ar: 'العربية',
  hi: 'हिन्दी',
  vi: 'Tiếng Việt',
  id: 'Bahasa Indonesia',
}

export interface PageStrings {
  readonly secured: string
  readonly language: string
  readonly change: string
  readonly back: string
  readonly returning: string
  readonly closeTab: string
  readonly badReturn: string
  readonly theApp: string
  readonly title: string
}

export const PAGE_STRINGS: Record<PageLocale, PageStrings> = {
  en: {
    secured: 'Secured by verigate',
    language: 'Language',
    change: 'Change',
    back: 'Back to {app}',
    returning: 'Verified. Taking you back to {app}…',
    closeTab: 'You can close this tab now and go back to {app}.',
    badReturn:
      'This link asks to send you back to an address {app} has not allowed, so this page will not go there. When you are done, go back to {app} yourself.',
    theApp: 'the app',
    title: 'Verification',
  },
  es: {
    secured: 'Protegido por verigate',
    language: 'Idioma',
    change: 'Cambiar',
    back: 'Volver a {app}',
    returning: 'Verificado. Te llevamos de vuelta a {app}…',
    closeTab: 'Ya puedes cerrar esta pestaña y volver a {app}.',
    badReturn:
      'Este enlace pide enviarte a una dirección que {app} no ha autorizado, así que esta página no irá allí. Cuando termines, vuelve tú a {app}.',
    theApp: 'la aplicación',
    title: 'Verificación',
  },
  pt: {
    secured: 'Protegido por verigate',
    language: 'Idioma',
    change: 'Mudar',
    back: 'Voltar para {app}',
    returning: 'Verificado. Levando você de volta para {app}…',
    closeTab: 'Você já pode fechar esta aba e voltar para {app}.',
    badReturn:
      'Este link pede para enviar você a um endereço que {app} não autorizou, então esta página não irá até lá. Quando terminar, volte você mesmo para {app}.',
    theApp: 'o app',
    title: 'Verificação',
  },
  fr: {
    secured: 'Sécurisé par verigate',
    language: 'Langue',
    change: 'Changer',
    back: 'Retour à {app}',
    returning: 'Vérifié. Retour à {app}…',
    closeTab: 'Vous pouvez fermer cet onglet et revenir à {app}.',
    badReturn:
      'Ce lien demande de vous renvoyer vers une adresse que {app} n’a pas autorisée : cette page n’ira donc pas. Une fois terminé, revenez vous-même à {app}.',
    theApp: 'l’application',
    title: 'Vérification',
  },
  de: {
    secured: 'Geschützt durch verigate',
    language: 'Sprache',
    change: 'Ändern',
    back: 'Zurück zu {app}',
    returning: 'Bestätigt. Sie werden zu {app} zurückgebracht…',
    closeTab: 'Sie können diesen Tab jetzt schließen und zu {app} zurückkehren.',
    badReturn:
      'Dieser Link möchte Sie zu einer Adresse schicken, die {app} nicht freigegeben hat. Diese Seite leitet Sie deshalb nicht dorthin. Kehren Sie danach selbst zu {app} zurück.',
    theApp: 'der App',
    title: 'Bestätigung',
  },
  ru: {
    secured: 'Защищено verigate',
    language: 'Язык',
    change: 'Сменить',
    back: 'Вернуться в {app}',
    returning: 'Подтверждено. Возвращаем вас в {app}…',
    closeTab: 'Теперь можно закрыть эту вкладку и вернуться в {app}.',
    badReturn:
      'Эта ссылка просит отправить вас по адресу, который {app} не разрешило, поэтому страница туда не перейдёт. Когда закончите, вернитесь в {app} сами.',
    theApp: 'приложение',
    title: 'Проверка',
  },
  tr: {
    secured: 'verigate ile korunmaktadır',
    language: 'Dil',
    change: 'Değiştir',
    back: '{app} uygulamasına dön',
    returning: 'Doğrulandı. {app} uygulamasına geri götürülüyorsunuz…',
    closeTab: 'Bu sekmeyi şimdi kapatıp {app} uygulamasına dönebilirsiniz.',
    badReturn:
      'Bu bağlantı sizi {app} tarafından izin verilmemiş bir adrese göndermek istiyor, bu yüzden bu sayfa oraya gitmeyecek. İşiniz bitince {app} uygulamasına kendiniz dönün.',
    theApp: 'uygulama',
    title: 'Doğrulama',
  },
  zh: {
    secured: '由 verigate 提供安全保护',
    language: '语言',
    change: '切换',
    back: '返回 {app}',
    returning: '已验证。正在带您返回 {app}…',
    closeTab: '现在可以关闭此标签页并返回 {app}。',
    badReturn: '此链接要求将您送往 {app} 未允许的地址，因此本页不会前往。完成后，请自行返回 {app}。',
    theApp: '应用',
    title: '验证',
  },
  ja: {
    secured: 'verigate で保護されています',
    language: '言語',
    change: '変更',
    back: '{app} に戻る',
    returning: '確認が完了しました。{app} に戻ります…',
    closeTab: 'このタブを閉じて {app} に戻ってください。',
    badReturn:
      'このリンクは {app} が許可していないアドレスへの移動を求めているため、このページは移動しません。完了したら、ご自身で {app} に戻ってください。',
    theApp: 'アプリ',
    title: '確認',
  },
  ar: {
    secured: 'محمي بواسطة verigate',
    language: 'اللغة',
    change: 'تغيير',
    back: 'العودة إلى {app}',
    returning: 'تم التحقق. نعيدك إلى {app}…',
    closeTab: 'يمكنك الآن إغلاق علامة التبويب هذه والعودة إلى {app}.',
    badReturn:
      'يطلب هذا الرابط إرسالك إلى عنوان لم يسمح به {app}، لذلك لن تنتقل هذه الصفحة إليه. عند الانتهاء، عد إلى {app} بنفسك.',
    theApp: 'التطبيق',
    title: 'التحقق',
  },
  hi: {
    secured: 'verigate द्वारा सुरक्षित',
    language: 'भाषा',
    change: 'बदलें',
    back: '{app} पर वापस जाएँ',
    returning: 'सत्यापित। आपको {app} पर वापस ले जा रहे हैं…',
    closeTab: 'अब आप यह टैब बंद करके {app} पर लौट सकते हैं।',
    badReturn:
      'यह लिंक आपको ऐसे पते पर भेजना चाहता है जिसकी {app} ने अनुमति नहीं दी है, इसलिए यह पेज वहाँ नहीं जाएगा। काम पूरा होने पर स्वयं {app} पर लौटें।',
    theApp: 'ऐप',
    title: 'सत्यापन',
  },
  vi: {
    secured: 'Được bảo vệ bởi verigate',
    language: 'Ngôn ngữ',
    change: 'Đổi',
    back: 'Quay lại {app}',
    returning: 'Đã xác minh. Đang đưa bạn quay lại {app}…',
    closeTab: 'Bây giờ bạn có thể đóng thẻ này và quay lại {app}.',
    badReturn:
      'Liên kết này yêu cầu đưa bạn đến một địa chỉ mà {app} chưa cho phép, nên trang này sẽ không chuyển đến đó. Khi xong, hãy tự quay lại {app}.',
    theApp: 'ứng dụng',
    title: 'Xác minh',
  },
  id: {
    secured: 'Diamankan oleh verigate',
    language: 'Bahasa',
    change: 'Ganti',
    back: 'Kembali ke {app}',
    returning: 'Terverifikasi. Mengembalikan Anda ke {app}…',
    closeTab: 'Anda bisa menutup tab ini sekarang dan kembali ke {app}.',
    badReturn:
      'Tautan ini meminta mengirim Anda ke alamat yang tidak diizinkan {app}, jadi halaman ini tidak akan ke sana. Setelah selesai, kembalilah ke {app} sendiri.',
    theApp: 'aplikasi',
    title: 'Verifikasi',
  },
}

export function isPageLocale(value: string | undefined | null): value is PageLocale {
  return (PAGE_LOCALES as readonly string[]).includes(value ?? '')
}
