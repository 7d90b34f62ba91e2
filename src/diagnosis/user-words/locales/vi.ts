/** Vietnamese user words. */
import type { UserWordsCatalog } from '../catalog.js'

export const vi: UserWordsCatalog = {
  causes: {
    number_mistyped: {
      title: 'Số điện thoại cần sửa',
      explanation: '{problem}',
      actions: ['Dùng {number}', 'Kiểm tra số và mã quốc gia rồi yêu cầu mã mới'],
    },
    number_not_sms_capable: {
      title: 'Số này không nhận được SMS',
      explanation: 'Có vẻ đây là số cố định hoặc số chỉ nhận cuộc gọi.',
      actions: ['Chọn cuộc gọi thoại thay thế', 'Hoặc dùng số di động'],
    },
    voip_number: {
      title: 'Có vẻ đây là số điện thoại internet',
      explanation: 'Một số dịch vụ điện thoại internet không nhận SMS xác minh.',
      actions: ['Dùng số của nhà mạng di động', 'Hoặc chọn cuộc gọi thoại'],
    },
    country_not_enabled: {
      title: 'Không thể gửi mã đến quốc gia này',
      explanation: 'Dịch vụ này không gửi mã đến số điện thoại ở quốc gia này.',
      actions: ['Dùng số của quốc gia khác', 'Hoặc liên hệ bộ phận hỗ trợ của dịch vụ'],
    },
    rate_limited: {
      title: 'Yêu cầu mã quá nhiều lần',
      explanation:
        'Để bảo vệ tài khoản của bạn, việc gửi mã mới đang tạm dừng.|Bạn có thể yêu cầu lại sau {wait}.',
      actions: ['Đợi {wait} rồi yêu cầu lại', 'Dùng mã bạn đã nhận, nếu có'],
    },
    max_sends_reached: {
      title: 'Đã gửi hết mã cho lần đăng nhập này',
      explanation: 'Không thể gửi thêm mã cho lần thử này.',
      actions: ['Nhập mã bạn đã nhận', 'Hoặc bắt đầu lại sau'],
    },
    max_attempts_reached: {
      title: 'Đã nhập sai mã quá nhiều lần',
      explanation: 'Mã này không còn dùng được.',
      actions: ['Yêu cầu mã mới', 'Nhập cẩn thận mã trong tin nhắn mới nhất'],
    },
    opted_out: {
      title: 'Tin nhắn của chúng tôi đến số này đã bị dừng',
      explanation: 'Số này đã trả lời STOP tin nhắn của chúng tôi nên nhà mạng chặn chúng.',
      actions: ['Gửi START đến {sender} rồi yêu cầu mã mới', 'Hoặc chọn cuộc gọi thoại'],
    },
    unknown_subscriber: {
      title: 'Nhà mạng cho biết số này không được sử dụng',
      explanation: 'Mạng di động không tìm thấy số này.',
      actions: ['Kiểm tra lỗi gõ trong số', 'Hoặc dùng số khác'],
    },
    carrier_filtered: {
      title: 'Nhà mạng đã chặn tin nhắn của chúng tôi',
      explanation: 'Bộ lọc thư rác của nhà mạng đã chặn tin nhắn.|Tin nhắn đến từ {sender}.',
      actions: [
        'Cho phép tin nhắn từ {sender} trên điện thoại hoặc với nhà mạng',
        'Chọn cuộc gọi thoại thay thế',
        'Yêu cầu mã mới',
      ],
    },
    handset_unreachable: {
      title: 'Không liên lạc được với điện thoại của bạn',
      explanation: 'Mạng cho biết điện thoại đang tắt hoặc không có sóng.',
      actions: ['Bật điện thoại và kiểm tra sóng', 'Sau đó yêu cầu mã mới'],
    },
    provider_outage: {
      title: 'Dịch vụ SMS của chúng tôi đang gặp sự cố',
      explanation:
        'Nhà cung cấp tin nhắn của chúng tôi đang ngừng hoạt động. Chúng tôi đang tự động thử lại.',
      actions: ['Đợi một lát: chúng tôi sẽ thử lại', 'Hoặc chọn cuộc gọi thoại'],
    },
    provider_outage_rerouted: {
      title: 'Chúng tôi đang gửi mã theo cách khác',
      explanation: 'Nhà cung cấp đầu tiên ngừng hoạt động nên mã của bạn được gửi qua nhà cung cấp khác.',
      actions: ['Đợi một lát để nhận mã', 'Giữ điện thoại bật và có sóng'],
    },
    no_route: {
      title: 'Không thể gửi mã của bạn',
      explanation: 'Chúng tôi không có cách nào gửi mã đến số này theo cách này.',
      actions: ['Chọn cách khác để nhận mã', 'Hoặc liên hệ bộ phận hỗ trợ của dịch vụ'],
    },
    spend_cap_reached: {
      title: 'Tạm dừng gửi mã',
      explanation: 'Dịch vụ này hiện đã đạt giới hạn gửi.',
      actions: ['Thử lại sau', 'Hoặc liên hệ bộ phận hỗ trợ của dịch vụ'],
    },
    delivery_failed: {
      title: 'Không thể gửi mã đến bạn',
      explanation: 'Mạng không thể chuyển tin nhắn.',
      actions: ['Yêu cầu mã mới', 'Hoặc chọn cuộc gọi thoại'],
    },
    sent_by_other_channel: {
      title: 'Chúng tôi đã gửi mã theo cách khác',
      explanation: 'Tin nhắn SMS không đến được nên cùng mã đó đã được gửi qua {channel}.',
      actions: ['Tìm mã trong {channel}'],
    },
    delivered_not_entered: {
      title: 'Mã của bạn đã được gửi đến',
      explanation: 'Mạng cho biết mã đã đến điện thoại của bạn.',
      actions: [
        'Kiểm tra tin nhắn, kể cả thư rác và người gửi lạ',
        'Tìm tin nhắn từ {sender}',
        'Kiểm tra các thiết bị khác dùng số này',
      ],
    },
    wrong_code: {
      title: 'Mã đã nhập không khớp',
      explanation: 'Số lần thử còn lại: {attempts}.',
      actions: ['Nhập mã trong tin nhắn mới nhất', 'Hoặc yêu cầu mã mới'],
    },
    delivery_delayed: {
      title: 'Mã của bạn đang được gửi đến',
      explanation: 'Nhà mạng đã nhận mã nhưng chưa chuyển đến.|Vui lòng đợi thêm khoảng {wait}.',
      actions: ['Đợi {wait}', 'Giữ điện thoại bật và có sóng'],
    },
    not_sent_yet: {
      title: 'Mã của bạn đang được gửi',
      explanation: 'Mã đang trong hàng đợi và sẽ được gửi ngay.',
      actions: ['Đợi một lát', 'Giữ điện thoại bật và có sóng'],
    },
    expired: {
      title: 'Mã đã hết hạn',
      explanation: 'Mã chỉ có hiệu lực trong vài phút.',
      actions: ['Yêu cầu mã mới', 'Nhập mã ngay khi nhận được'],
    },
    canceled: {
      title: 'Yêu cầu mã này đã bị hủy',
      explanation: 'Một yêu cầu mới hơn đã thay thế, hoặc yêu cầu đã bị hủy.',
      actions: ['Bắt đầu lại để nhận mã mới'],
    },
  },
  phone: {
    empty: 'Nhập số điện thoại của bạn.',
    not_a_number: 'Đây có vẻ không phải số điện thoại.',
    missing_country_code: 'Thêm mã quốc gia bắt đầu bằng + (ví dụ +84).',
    invalid_country_code: 'Mã quốc gia có vẻ không đúng.',
    too_short: 'Số quá ngắn.',
    too_long: 'Số quá dài.',
    trunk_prefix_after_country_code: 'Bỏ số 0 sau mã quốc gia.',
    invalid_number: 'Số này không tồn tại như đã nhập.',
    not_sms_capable: 'Số này không nhận được SMS. Hãy chọn cuộc gọi thoại.',
  },
  didYouMean: 'Có phải ý bạn là {number}?',
  channels: {
    sms: 'SMS',
    call: 'cuộc gọi thoại',
    whatsapp: 'WhatsApp',
    email: 'email',
    telegram: 'Telegram',
  },
  summaries: {
    approved: 'Mã của bạn đã được chấp nhận. Bạn không cần làm gì thêm.',
    numberFine: 'Số này có vẻ đúng và có thể nhận mã.',
    noProblem: 'Chúng tôi không tìm thấy vấn đề nào. Nếu chưa nhận được mã, hãy yêu cầu mã mới.',
  },
}
