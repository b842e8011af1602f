/**
 * A form with files chosen is sent by XMLHttpRequest so that its progress shows (a phone photo takes
 * a while on a slow line); without JavaScript, or without files, it is a plain form post, which the
 * server reads the same way. The answer is applied as SvelteKit's own form handling would.
 */
import { applyAction, deserialize } from '$app/forms';
import { goto, invalidateAll } from '$app/navigation';

export function sendWithProgress(
	event: SubmitEvent & { currentTarget: HTMLFormElement },
	progress: (percent: number | null) => void,
	failed: (didFail: boolean) => void
): void {
	const form = event.currentTarget;
	const chosen = [...form.querySelectorAll<HTMLInputElement>('input[type=file]')].some((i) => i.files?.length);
	if (!chosen) return;
	event.preventDefault();
	const body = new FormData(form, event.submitter);
	const request = new XMLHttpRequest();
	request.open('POST', form.action);
	request.setRequestHeader('x-sveltekit-action', 'true');
	request.setRequestHeader('accept', 'application/json');
	request.upload.onprogress = (e) => e.lengthComputable && progress(Math.round((e.loaded / e.total) * 100));
	request.onload = async () => {
		progress(null);
		const result = deserialize(request.responseText);
		if (result.type === 'redirect') {
			// The files are kept now: the same page must not send them again.
			for (const input of form.querySelectorAll<HTMLInputElement>('input[type=file]')) input.value = '';
			await goto(result.location, { invalidateAll: true });
		} else {
			await applyAction(result);
			// A conflict (the record, or what the form showed beside it, changed meanwhile): the page shows it as it is now.
			if (result.type === 'failure' && result.status === 409) await invalidateAll();
		}
	};
	request.onerror = () => {
		progress(null);
		failed(true);
	};
	failed(false);
	progress(0);
	request.send(body);
}
