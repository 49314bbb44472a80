import { tr, type Lang } from '../i18n.js'

/** Problems per form field (and `form` for the whole form), as DomainError details carry them. */
export type FieldErrors = Record<string, string[] | undefined>

/** The messages of one field, linked to its input by `aria-describedby={describedBy(id, errors)}`. */
export function Errors({ id, errors }: { id: string; errors: FieldErrors }) {
  const list = errors[id]
  return list?.length ? (
    <p class="field-error" id={`${id}-error`}>
      {list.join(' ')}
    </p>
  ) : null
}

export const describedBy = (id: string, errors: FieldErrors): string | undefined => (errors[id]?.length ? `${id}-error` : undefined)

/** The alert at the top of a form that was not accepted. */
export function FormAlert({ errors, lang, message }: { errors: FieldErrors; lang: Lang; message?: string | undefined }) {
  if (!Object.keys(errors).length && !message) return null
  return (
    <div class="alert" role="alert">
      {message ?? tr(lang, 'Chưa thực hiện được, xem các lỗi bên dưới.', 'Not done; see the problems below.')}
      {errors['form']?.length ? <p>{errors['form'].join(' ')}</p> : null}
    </div>
  )
}
